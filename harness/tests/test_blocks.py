#!/usr/bin/python3
"""Unit tests of the run plan (blocks.plan): the trial total it announces
is an upper bound that includes the max-rate reference trials the load
methods and RFC 2544 searches need, so the progress line's total never
grows during a run."""
import os
import sys
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), ".."))

import blocks  # noqa: E402


class P:
    def __init__(self, name):
        self.name = name


def cfg(**kw):
    c = {"methods": ["maxrate"], "frame_sizes": [64], "trials": 2,
         "rfc2544.max_iterations": 6, "latency.frame_size": 64,
         "latency.loads": ["100", "10%", "50%"], "cpu.frame_size": 64,
         "cpu.loads": ["50%", "100%"], "cpu.placement": "auto"}
    c.update(kw)
    return c


class TestPlan(unittest.TestCase):
    def test_maxrate_only(self):
        a, b = P("a"), P("b")
        bl, total, refs = blocks.plan(cfg(), [a, b], {"a": ["inline"], "b": ["inline"]})
        self.assertEqual(len(bl), 4)
        self.assertEqual(total, 4)
        self.assertEqual(refs, set())

    def test_latency_after_maxrate_needs_no_reference(self):
        a = P("a")
        bl, total, refs = blocks.plan(cfg(methods=["maxrate", "latency"]), [a],
                                      {"a": ["inline"]})
        self.assertEqual(refs, set())
        self.assertEqual(total, 2 + 2 * 3)

    def test_latency_alone_counts_one_reference(self):
        a = P("a")
        bl, total, refs = blocks.plan(cfg(methods=["latency"]), [a], {"a": ["inline"]})
        self.assertEqual(refs, {("a", "inline", 64)})
        self.assertEqual(total, 2 * 3 + 1)  # one reference for both repetitions

    def test_absolute_loads_need_no_reference(self):
        a = P("a")
        _, total, refs = blocks.plan(cfg(methods=["latency"], **{"latency.loads": ["100", "1000"]}),
                                     [a], {"a": ["inline"]})
        self.assertEqual(refs, set())
        self.assertEqual(total, 4)

    def test_rfc2544_alone_counts_a_reference(self):
        a = P("a")
        _, total, refs = blocks.plan(cfg(methods=["rfc2544"]), [a], {"a": ["inline", "split"]})
        self.assertEqual(refs, {("a", "inline", 64), ("a", "split", 64)})
        self.assertEqual(total, 2 * 2 * 6 + 2)


class FakeRunner:
    """What blocks._reference() asks of cmd_run.Runner, with its own
    search bookkeeping (the real methods, borrowed) and a known max rate."""
    import cmd_run  # noqa: E402
    throughput_of = cmd_run.Runner.throughput_of
    search_generator_limited = cmd_run.Runner.search_generator_limited

    def __init__(self, limited):
        self.searches = [{"path": "a", "placement": "inline", "frame_size": 64,
                          "throughput_pps": 7e6, "generator_limited": limited}]
        self.ref_planned, self.total = set(), 0

    def gen_max_of(self, path, placement, size):
        return 10e6  # a max-rate trial exists: no reference trial run

    def maxrate_of(self, path, placement, size):
        return 10e6


class TestReference(unittest.TestCase):
    def test_latency_uses_the_search(self):
        ref = blocks._reference(FakeRunner(False), P("a"), P("inline"), 64, 1, "latency")
        self.assertEqual(ref, 7e6)

    def test_generator_limited_search_falls_back_to_max_rate(self):
        ref = blocks._reference(FakeRunner(True), P("a"), P("inline"), 64, 1, "latency")
        self.assertEqual(ref, 10e6)

    def test_cpu_uses_the_max_rate(self):
        ref = blocks._reference(FakeRunner(False), P("a"), P("inline"), 64, 1, "cpu")
        self.assertEqual(ref, 10e6)


if __name__ == "__main__":
    unittest.main()
