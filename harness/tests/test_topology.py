#!/usr/bin/python3
"""Unit tests of the testbed description (no privileges): names fit
IFNAMSIZ and the napi kthread comm, the route file is accepted by the
C parser (fwd-ref, given as argv[1]) and says what the topology does."""
import os
import struct
import subprocess
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), ".."))

import placement  # noqa: E402
import topology  # noqa: E402
from plugins import load_all  # noqa: E402
from plugins.linux import parse_routes  # noqa: E402
from util import HarnessError  # noqa: E402

FWD_REF = sys.argv.pop(1) if len(sys.argv) > 1 else None


class TestTopology(unittest.TestCase):
    def test_prefix(self):
        for ok in ("fl", "flh", "fl12ab", "a"):
            topology.check_prefix(ok)
        for bad in ("", "FL", "1fl", "fl-x", "fl12abc", "fl_1", None):
            with self.assertRaises(HarnessError, msg=bad):
                topology.check_prefix(bad)

    def test_names(self):
        t = topology.Topology("fl12ab")
        names = [t.ifname(s) for s in topology.IFACES]
        self.assertEqual(len(set(names)), len(names))
        for n in names:
            self.assertLess(len(n), 16)
        # napi kthread comm is cut to 15 chars: still one interface each
        comms = {f"napi/{n}-"[:15] for n in names}
        self.assertEqual(len(comms), len(names))
        macs = [t.mac(s) for s in topology.IFACES]
        self.assertEqual(len(set(macs)), len(macs))
        for m in macs:
            self.assertEqual(int(m[:2], 16) & 3, 2)  # unicast, locally administered

    def test_routes_conf(self):
        t = topology.Topology("flt")
        with tempfile.TemporaryDirectory() as d:
            path = t.write_routes(os.path.join(d, "routes.conf"))
            ports, neigh, routes = parse_routes(path)
            self.assertEqual(ports[0], ("flt-d0", "198.18.0.1/24"))
            self.assertEqual(ports[1], ("flt-d1", "198.18.1.1/24"))
            self.assertIn(("198.18.1.2", t.mac("s0"), 1), neigh)
            self.assertEqual(routes, [("198.19.0.0/16", "198.18.1.2")])
            if not FWD_REF:
                self.skipTest("fwd-ref not given")
            empty = os.path.join(d, "empty.pcap")
            with open(empty, "wb") as f:
                f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
            r = subprocess.run([FWD_REF, "--routes", path, "--in-port", "0", "--in",
                                empty, "--out-dir", os.path.join(d, "out")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            self.assertEqual(r.returncode, 0, r.stderr)


class TestPlacement(unittest.TestCase):
    def test_table(self):
        self.assertEqual(set(placement.PLACEMENTS), {"inline", "split", "split-napi0"})
        for name, c in placement.PLACEMENTS.items():
            self.assertEqual(c["gen_core"], 0)
            self.assertEqual(c["sink_core"], 0)
        self.assertIsNone(placement.PLACEMENTS["inline"]["dut_core"])
        self.assertEqual(placement.PLACEMENTS["split"]["ingress_napi_core"], 1)
        self.assertIsNone(placement.PLACEMENTS["split-napi0"]["ingress_napi_core"])
        with self.assertRaises(HarnessError):
            placement.check("sideways")


class TestPlugins(unittest.TestCase):
    def test_table(self):
        p = load_all()
        self.assertIn("linux", p)
        self.assertIn("ceiling", p)
        self.assertEqual(list(p)[0], "ceiling")
        for name, plug in p.items():
            for step in ("available", "prepare", "start", "ready", "stats", "stop",
                         "unprepare"):
                self.assertTrue(callable(getattr(plug, step)), f"{name}.{step}")
            self.assertIn(plug.gen_if, topology.IFACES)
            self.assertIn(plug.sink_if, topology.IFACES)
        self.assertFalse(p["ceiling"].has_dut)
        self.assertEqual(p["linux"].default_placement, "inline")


if __name__ == "__main__":
    unittest.main()
