#!/usr/bin/python3
"""Unit tests of the CPU accounting (cpu.py): /proc/stat parsing, and the
DUT's own ticks, which must not count twice the softirq ticks that tick
accounting charges both to the core's softirq and to the task it
interrupted."""
import os
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), ".."))

import cpu  # noqa: E402

STAT = """cpu  300 10 200 5000 7 3 40 0 0 0
cpu0 100 5 100 2000 3 1 10 0 0 0
cpu1 200 5 100 3000 4 2 30 0 0 0
intr 12345
"""


class TestCpu(unittest.TestCase):
    def setUp(self):
        fd, self.path = tempfile.mkstemp()
        with os.fdopen(fd, "w") as f:
            f.write(STAT)

    def tearDown(self):
        os.unlink(self.path)

    def test_core_ticks(self):
        # task = user + nice + system, interrupt = irq + softirq
        self.assertEqual(cpu.core_ticks(self.path), {0: (205, 11), 1: (305, 32)})

    def test_snapshot(self):
        # busy excludes idle and iowait
        self.assertEqual(cpu.snapshot(self.path)[1], (200 + 5 + 100 + 2 + 30, 3341))

    def test_own_poller_alone_on_core(self):
        # A poller alone on its core for 100 ticks: 70 in its user/system
        # time, 30 in softirq raised by its system calls, which its stime
        # also holds (task 100). Own = the core's 100, not 130.
        self.assertEqual(cpu.own_ticks(100, (0, 0), (70, 30)), 100)

    def test_own_with_softirq_from_idle(self):
        # a NAPI kthread (40 ticks) and softirq run from idle (25): no
        # overlap to remove
        self.assertEqual(cpu.own_ticks(40, (10, 5), (60, 30)), 65)

    def test_own_excludes_other_tasks(self):
        # another task used 50 of the core's 90 task ticks: it is not own
        self.assertEqual(cpu.own_ticks(40, (0, 0), (90, 10)), 50)


class TestTrafficBusy(unittest.TestCase):
    """The busy time of the traffic window inside snapshots that also hold
    the generator's start-up and exit (ticks of 10 ms at USER_HZ 100)."""

    def setUp(self):
        self.tick = cpu.TICK_S
        cpu.TICK_S = 0.01

    def tearDown(self):
        cpu.TICK_S = self.tick

    def test_poller_is_exactly_busy(self):
        # busy in the quiet period and all through 3.3 s around 3 s of
        # traffic: 3 s busy, fraction 1 (1/rate per frame), not 3.3 s
        pre, start, end = {1: (0, 0)}, {1: (20, 20)}, {1: (350, 350)}
        self.assertEqual(cpu.traffic_busy(pre, start, end, 1, 3.0), (3.0, 1.0))

    def test_kernel_path_keeps_all_its_busy_time(self):
        # idle before: the 1.5 s busy in the window all belong to the traffic
        pre, start, end = {1: (0, 0)}, {1: (0, 20)}, {1: (150, 350)}
        secs, frac = cpu.traffic_busy(pre, start, end, 1, 3.0)
        self.assertAlmostEqual(secs, 1.5)
        self.assertAlmostEqual(frac, 0.5)

    def test_never_more_than_the_window(self):
        pre, start, end = {1: (0, 0)}, {1: (0, 20)}, {1: (350, 350)}
        self.assertEqual(cpu.traffic_busy(pre, start, end, 1, 3.0), (3.0, 1.0))


if __name__ == "__main__":
    unittest.main()
