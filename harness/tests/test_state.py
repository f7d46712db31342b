#!/usr/bin/python3
"""Unit tests of the state file (no privileges: the state directory is a
temp dir): records round-trip, teardown forgets what is gone, pins outside
/sys/fs/bpf/fwdlab* are never removed, recycled pids are never killed."""
import os
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), ".."))

import state  # noqa: E402


class TestState(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.old = state.STATE_DIR
        state.STATE_DIR = self.tmp.name

    def tearDown(self):
        state.STATE_DIR = self.old
        self.tmp.cleanup()

    def test_round_trip(self):
        s = state.State("flu")
        s.path = os.path.join(self.tmp.name, "flu.json")
        s.add("netns", "flu-gen")
        s.add("netns", "flu-gen")
        s.add("pins", "/sys/fs/bpf/fwdlab-flu")
        s.add_pid(12345, ["/usr/bin/fwd-gen", "--dev", "x"])
        back = state.State.load(s.path)
        self.assertEqual(back.data["netns"], ["flu-gen"])
        self.assertEqual(back.data["pins"], ["/sys/fs/bpf/fwdlab-flu"])
        self.assertEqual(back.data["pids"], [{"pid": 12345, "argv0": "fwd-gen"}])
        s.remove("netns", "flu-gen")
        self.assertEqual(state.State.load(s.path).data["netns"], [])
        self.assertEqual([x.prefix for x in state.all_states()], ["flu"])

    def test_teardown_of_nothing_left(self):
        s = state.State("flv")
        s.path = os.path.join(self.tmp.name, "flv.json")
        s.add("netns", "flv-does-not-exist")
        os.makedirs(os.path.join(self.tmp.name, "flv.d"))
        self.assertEqual(state.teardown(s), 0)
        self.assertFalse(os.path.exists(s.path))
        self.assertFalse(os.path.exists(os.path.join(self.tmp.name, "flv.d")))

    def test_undo_runs_last_to_first(self):
        s = state.State("flw")
        s.path = os.path.join(self.tmp.name, "flw.json")
        log = os.path.join(self.tmp.name, "log")
        s.add_undo(["sh", "-c", f"echo first >> {log}"], "first change")
        s.add_undo(["sh", "-c", f"echo second >> {log}"], "second change")
        s.add_undo(["sh", "-c", "echo gone"], "undone by the plug-in")
        s.remove_undo(["sh", "-c", "echo gone"])
        self.assertEqual(len(s.data["undo"]), 2)
        self.assertEqual(state.teardown(state.State.load(s.path)), 0)
        with open(log) as f:
            self.assertEqual(f.read().split(), ["second", "first"])
        self.assertFalse(os.path.exists(s.path))

    def test_pin_outside_fwdlab_refused(self):
        victim = os.path.join(self.tmp.name, "precious")
        open(victim, "w").close()
        state._remove_pin(victim)
        self.assertTrue(os.path.exists(victim))

    def test_recycled_pid_not_killed(self):
        # our own pid under another program name: must survive
        state._kill_recorded({"pid": os.getpid(), "argv0": "fwd-gen-not-me"})
        self.assertTrue(state.pid_alive(os.getpid()))


if __name__ == "__main__":
    unittest.main()
