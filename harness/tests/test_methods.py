#!/usr/bin/python3
"""Unit tests of the RFC 2544 search and the statistics, against a
simulated device (the simulation lives here only: never in results)."""
import os
import random
import sys
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), ".."))

import methods  # noqa: E402


class SimDevice:
    """A DUT with a known capacity: no loss at or below capacity x (1 +
    noise) for a noise drawn per trial, proportional loss above it."""

    def __init__(self, capacity, noise=0.0, seed=1, gen_max=None):
        self.capacity, self.noise = capacity, noise
        self.rng = random.Random(seed)
        self.gen_max = gen_max
        self.trials = []

    def trial(self, rate):
        achieved = min(rate, self.gen_max) if self.gen_max else rate
        cap = self.capacity * (1 + self.rng.uniform(-self.noise, self.noise))
        loss = max(0.0, (achieved - cap) / achieved)
        self.trials.append(rate)
        ok = methods.step_passes(loss, 0.0, rate, achieved)
        return bool(ok), achieved


class TestSearch(unittest.TestCase):
    def test_exact_capacity(self):
        dev = SimDevice(1_000_000)
        best, steps = methods.binary_search(dev.trial, 3_000_000, resolution=0.01,
                                            max_iter=30)
        self.assertLessEqual(best, 1_000_000)
        self.assertGreaterEqual(best, 1_000_000 - 0.01 * 3_000_000)
        # a binary search: the bracket halves each step
        self.assertLessEqual(len(steps), 10)  # 3M / 2^9 < 1 % of 1M, + the first step

    def test_noise_stays_within_noise_band(self):
        for seed in range(20):
            dev = SimDevice(500_000, noise=0.02, seed=seed)
            best, _ = methods.binary_search(dev.trial, 2_000_000, resolution=0.005,
                                            max_iter=30)
            self.assertGreater(best, 500_000 * 0.98 - 0.005 * 2_000_000)
            self.assertLessEqual(best, 500_000 * 1.02)

    def test_passes_at_start_rate(self):
        dev = SimDevice(5_000_000)
        best, steps = methods.binary_search(dev.trial, 1_000_000)
        self.assertEqual(best, 1_000_000)
        self.assertEqual(steps, [(1_000_000, True)])

    def test_never_passes(self):
        dev = SimDevice(0.5)
        best, steps = methods.binary_search(dev.trial, 1_000_000, max_iter=12)
        self.assertEqual(best, 0.0)
        self.assertEqual(len(steps), 12)
        self.assertTrue(all(not p for _, p in steps))

    def test_max_iterations(self):
        dev = SimDevice(123_456)
        best, steps = methods.binary_search(dev.trial, 1_000_000, resolution=1e-9,
                                            max_iter=5)
        self.assertEqual(len(steps), 5)

    def test_generator_shortfall_is_not_a_pass(self):
        # the generator tops out at 200 kpps, the DUT could do 1 Mpps: no
        # step above 200 kpps may pass, the result is bounded by the generator
        dev = SimDevice(1_000_000, gen_max=200_000)
        best, steps = methods.binary_search(dev.trial, 1_000_000, resolution=0.01,
                                            max_iter=30)
        self.assertLessEqual(best, 200_000)
        self.assertGreater(best, 200_000 * 0.97 - 0.01 * 1_000_000)
        self.assertFalse(steps[0][1])

    def test_short_step_counts_at_achieved_load(self):
        # judge_step: a loss-free step the generator could only offer at
        # 200 kpps proves 200 kpps, never the 1 Mpps asked
        gen_max, cap = 200_000, 1_000_000

        def trial(rate):
            achieved = min(rate, gen_max)
            loss = max(0.0, (achieved - cap) / achieved)
            ok, short = methods.judge_step(loss, 0.0, rate, achieved)
            self.assertEqual(short, rate > gen_max / 0.97)
            return ok, achieved

        best, steps = methods.binary_search(trial, 1_000_000)
        self.assertEqual(best, 200_000)
        # a lossy short step still fails
        self.assertEqual(methods.judge_step(0.1, 0.0, 1000, 500), (False, True))
        self.assertEqual(methods.judge_step(0.0, 0.0, 1000, 1000), (True, False))

    def test_step_passes(self):
        self.assertTrue(methods.step_passes(0.0, 0.0, 1000, 1000))
        self.assertFalse(methods.step_passes(0.001, 0.0, 1000, 1000))
        self.assertTrue(methods.step_passes(0.001, 0.01, 1000, 1000))
        self.assertIsNone(methods.step_passes(0.0, 0.0, 1000, 900))


class TestStats(unittest.TestCase):
    def test_mean_ci_known(self):
        m, hw, n = methods.mean_ci([1, 2, 3, 4, 5])
        self.assertEqual(n, 5)
        self.assertAlmostEqual(m, 3.0)
        # sd = sqrt(2.5), t(0.975, 4) = 2.776
        self.assertAlmostEqual(hw, 2.776 * (2.5 ** 0.5) / (5 ** 0.5), places=6)

    def test_mean_ci_edge(self):
        self.assertEqual(methods.mean_ci([]), (None, None, 0))
        self.assertEqual(methods.mean_ci([7.0]), (7.0, None, 1))
        m, hw, n = methods.mean_ci(["", None, 4, "6"])
        self.assertEqual((m, n), (5.0, 2))
        self.assertAlmostEqual(hw, 12.706 * (2 ** 0.5) / (2 ** 0.5))
        self.assertEqual(methods.mean_ci([3, 3, 3])[1], 0.0)

    def test_ci_covers_true_mean(self):
        # 95 % intervals of normal samples cover the true mean ~95 % of the time
        rng = random.Random(7)
        hits = 0
        for _ in range(400):
            m, hw, _ = methods.mean_ci([rng.gauss(10.0, 2.0) for _ in range(5)])
            hits += abs(m - 10.0) <= hw
        self.assertGreater(hits / 400, 0.90)
        self.assertLess(hits / 400, 0.99)

    def test_t95(self):
        self.assertAlmostEqual(methods.t95(1), 12.706)
        self.assertAlmostEqual(methods.t95(30), 2.042)
        self.assertAlmostEqual(methods.t95(100), 1.96)
        with self.assertRaises(ValueError):
            methods.t95(0)

    def test_resolve_load(self):
        self.assertEqual(methods.resolve_load("100", None), 100)
        self.assertEqual(methods.resolve_load("10k", None), 10000)
        self.assertEqual(methods.resolve_load("1.5M", None), 1.5e6)
        self.assertEqual(methods.resolve_load("50%", 2e6), 1e6)
        self.assertIsNone(methods.resolve_load("90%", None))
        for bad in ("0", "-5", "x", "0%"):
            with self.assertRaises(ValueError):
                methods.resolve_load(bad, 1e6)


if __name__ == "__main__":
    unittest.main()
