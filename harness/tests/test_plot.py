#!/usr/bin/python3
"""Unit test of plot generation: gnuplot turns a synthetic results
directory into non-empty PNG and SVG files, and report.md links them; a
results directory without trials gets no images and no links."""
import os
import shutil
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.realpath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, ".."))

import plot  # noqa: E402
import report  # noqa: E402
import synth  # noqa: E402


class TestPlot(unittest.TestCase):
    def test_plots_and_report(self):
        with tempfile.TemporaryDirectory() as d:
            synth.make(d)
            images = plot.make(d)
            self.assertEqual(len(images), 2 * len(report.PLOTS))
            for name, _ in report.PLOTS:
                png = os.path.join(d, "plots", f"{name}.png")
                svg = os.path.join(d, "plots", f"{name}.svg")
                with open(png, "rb") as f:
                    self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n", name)
                self.assertGreater(os.path.getsize(png), 5000, name)
                with open(svg) as f:
                    text = f.read()
                self.assertIn("<svg", text)
                # every path of the data is in the legend
                self.assertIn("linux", text, name)
                self.assertIn("ceiling", text, name)
            # the generator-limited latency point is marked, with a legend entry
            with open(os.path.join(d, "plots", "latency_vs_load.gp")) as f:
                gp = f.read()
            self.assertIn("($4 > 0 ? $2 : NaN)", gp)
            with open(os.path.join(d, "plots", "latency_vs_load.svg")) as f:
                self.assertIn("generator-limited", f.read())
            with open(os.path.join(d, "plots", "data", "latency_vs_load-linux-inline.dat")) as f:
                flags = [line.split()[3] for line in f]
            self.assertEqual(flags, ["0", "0", "0", "1"])
            # ... and so is the generator-limited RFC 2544 result
            with open(os.path.join(d, "plots", "data", "throughput_vs_size-rfc-linux-inline.dat")) as f:
                self.assertEqual([line.split()[3] for line in f], ["0", "0", "1"])
            with open(os.path.join(d, "plots", "throughput_vs_size.svg")) as f:
                self.assertIn("generator-limited (a lower bound)", f.read())
            md = open(report.write(d)).read()
            for name, _ in report.PLOTS:
                self.assertIn(f"plots/{name}.png", md)
            self.assertIn("| linux | inline | 64 |", md)

    def test_empty_results(self):
        with tempfile.TemporaryDirectory() as d:
            synth.make(d)
            with open(os.path.join(d, "results.csv")) as f:
                header = f.readline()
            with open(os.path.join(d, "results.csv"), "w") as f:
                f.write(header)
            images = plot.make(d)
            # nothing to draw: no image, and the report embeds none
            self.assertEqual(images, [])
            for name, _ in report.PLOTS:
                self.assertFalse(os.path.exists(os.path.join(d, "plots", f"{name}.png")))
                self.assertTrue(os.path.exists(os.path.join(d, "plots", f"{name}.gp")))
            md = open(report.write(d)).read()
            self.assertNotIn(".png", md)


if __name__ == "__main__":
    if shutil.which("gnuplot") is None:
        print("SKIP: gnuplot not installed")
        sys.exit(77)
    unittest.main()
