#!/usr/bin/python3
"""Unit tests of the results writers: CSV columns, run.json keys, suites."""
import csv
import json
import os
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), ".."))

import results  # noqa: E402
import suite  # noqa: E402
from util import HarnessError  # noqa: E402

ISSUE_COLUMNS = ("path,placement,frame_size,offered_pps,tx_pps,rx_pps,loss,lat_p50_ns,"
                 "lat_p90_ns,lat_p99_ns,lat_p999_ns,lat_max_ns,dut_cpu_busy,"
                 "cpu_ns_per_pkt,trial").split(",")


class TestCsv(unittest.TestCase):
    def test_columns_start_with_the_issue_list(self):
        self.assertEqual(results.ALL_COLUMNS[:len(ISSUE_COLUMNS)], ISSUE_COLUMNS)
        self.assertEqual(len(set(results.ALL_COLUMNS)), len(results.ALL_COLUMNS))
        for c in ("generator_limited", "gen_veth_drops", "snk_veth_drops", "dut_loss"):
            self.assertIn(c, results.ALL_COLUMNS)

    def test_csvlog_round_trip(self):
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "results.csv")
            log = results.CsvLog(p)
            log.add({"path": "linux", "frame_size": 64, "rx_pps": 1.5, "note": "a, b"})
            log.add({"path": "ceiling", "frame_size": 1518, "loss": 0.0})
            log.rows[0]["cpu_ns_per_pkt"] = 12.5
            log.rewrite()
            log.add({"path": "x"})
            log.close()
            with open(p, newline="") as f:
                rd = csv.reader(f)
                header = next(rd)
                body = list(rd)
            self.assertEqual(header, results.ALL_COLUMNS)
            self.assertEqual(len(body), 3)
            rows = results.read_csv(p)
            self.assertEqual(rows[0]["note"], "a, b")
            self.assertEqual(rows[0]["cpu_ns_per_pkt"], "12.5")
            self.assertEqual(rows[1]["frame_size"], "1518")
            self.assertEqual(rows[2]["path"], "x")

    def test_num(self):
        self.assertEqual(results.num("1.5"), 1.5)
        self.assertIsNone(results.num(""))
        self.assertIsNone(results.num(None))


class TestRunJson(unittest.TestCase):
    def test_keys(self):
        env = results.environment(os.path.dirname(os.path.dirname(
            os.path.realpath(__file__))))
        for k in ("kernel", "cpu_model", "cores", "dpdk", "libbpf", "clang", "gcc",
                  "git_commit"):
            self.assertIn(k, env)
        self.assertTrue(env["kernel"])
        self.assertGreaterEqual(env["cores"], 1)
        run = results.new_run("id", ["fwdlab"], {"name": "quick"}, {}, env, {}, "c", [], [])
        self.assertEqual(set(run), set(results.RUN_JSON_KEYS))
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "run.json")
            results.write_json(p, run)
            with open(p) as f:
                back = json.load(f)
            self.assertEqual(back["run_id"], "id")
            self.assertEqual(back["status"], "running")


class TestSuites(unittest.TestCase):
    def test_shipped_suites_parse(self):
        names = [n for n in os.listdir(suite.SUITE_DIR) if n != "README.md"]
        for n in ("quick", "rfc2544", "xdp-paper"):
            self.assertIn(n, names)
        for n in names:
            cfg = suite.load(n)
            self.assertTrue(cfg["description"], n)

    def test_bad_suites(self):
        for text in ("bogus = 1", "methods = maxrate, warp", "frame_sizes = 32",
                     "trials = x", "no equals sign", "loss_tolerance = 2",
                     "gen_engine = dpdk"):
            with self.assertRaises(HarnessError, msg=text):
                suite.parse(text, "t")

    def test_defaults_and_override(self):
        cfg = suite.parse("# c\nframe_sizes = 64, 1518\n", "t")
        self.assertEqual(cfg["frame_sizes"], ["64", "1518"])
        self.assertEqual(cfg["loss_tolerance"], 0.0)
        suite.set_override(cfg, "trials=3")
        self.assertEqual(cfg["trials"], 3)
        with self.assertRaises(HarnessError):
            suite.set_override(cfg, "nope=1")


class TestSummaryZeroLoss(unittest.TestCase):
    """A search whose every step lost frames found no zero-loss rate; it
    must not enter the mean as a throughput of 0."""

    @staticmethod
    def srch(best, steps):
        return {"path": "p", "placement": "inline", "frame_size": 64,
                "throughput_pps": best, "steps": steps}

    def test_none_found(self):
        s = results.summarize([], [self.srch(0.0, [(8e6, False), (4e6, False)]),
                                   self.srch(0.0, [(9e6, False), (4.5e6, False)])])[0]
        self.assertEqual((s["throughput_pps"], s["throughput_n"], s["throughput_searches"]),
                         ("", 0, 2))
        self.assertEqual(s["throughput_none_down_to_pps"], 4e6)
        import report
        self.assertEqual(report._zero_loss({k: str(v) for k, v in s.items()}),
                         "none found (loss at every step, down to 4.000)")

    def test_mean_over_found_only(self):
        s = results.summarize([], [self.srch(2e6, [(4e6, False), (2e6, True)]),
                                   self.srch(0.0, [(4e6, False), (2e6, False)])])[0]
        self.assertEqual((s["throughput_pps"], s["throughput_n"]), (2e6, 1))
        import report
        self.assertEqual(report._zero_loss({k: str(v) for k, v in s.items()}),
                         "2.000 (1 of 2 searches found none)")


if __name__ == "__main__":
    unittest.main()
