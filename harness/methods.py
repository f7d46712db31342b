"""methods.py - the measurement methods, built from trials:

  maxrate   max forwarding rate: offered load = generator flat out
  rfc2544   zero-loss throughput (RFC 2544 §26.1): binary search over the
            offered load, a step passes when its loss <= the tolerance
            (default 0); counters are read after traffic stops
  latency   latency at fixed loads: absolute pps, or % of the throughput
            found by rfc2544 (else of the max rate) in this run
  cpu       DUT core busy vs offered load (% of the max rate)

The pure logic (binary_search, mean_ci, resolve_load) has no I/O and is
unit-tested against a simulated device in tests/test_methods.py.
"""
import math

# Two-sided 95 % Student t quantiles t(0.975, df), df = 1..30.
_T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
        2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]


def t95(df):
    """t(0.975, df); the normal 1.96 beyond df 30 (error < 2 %)."""
    if df < 1:
        raise ValueError("df must be >= 1")
    return _T95[df - 1] if df <= 30 else 1.96


def mean_ci(values):
    """(mean, 95 % CI half-width, n) of a list of numbers; the half-width
    is None for fewer than two values (no spread to estimate)."""
    v = [float(x) for x in values if x is not None and x != ""]
    n = len(v)
    if n == 0:
        return None, None, 0
    m = sum(v) / n
    if n < 2:
        return m, None, n
    sd = math.sqrt(sum((x - m) ** 2 for x in v) / (n - 1))
    return m, t95(n - 1) * sd / math.sqrt(n), n


def found_zero_loss(searches):
    """The searches that found a zero-loss rate: one whose every step lost
    frames (throughput 0) found none, which is not a throughput of 0."""
    return [s for s in searches if float(s["throughput_pps"] or 0) > 0]


def binary_search(trial, hi, resolution=0.01, max_iter=12, min_rate=1.0):
    """RFC 2544 throughput search.

    trial(rate) -> (passed, achieved_pps): runs one trial at offered load
    rate (pps) and says whether loss stayed within the tolerance and what
    load was actually offered. hi: the first (highest) load to try, usually
    the generator's measured maximum. Stops when the pass/fail bracket is
    narrower than resolution x hi, after max_iter trials, or below
    min_rate. Returns (throughput pps or 0.0, [(rate, passed), ...]).
    """
    lo, best, steps = 0.0, 0.0, []
    rate = float(hi)
    for _ in range(max_iter):
        passed, achieved = trial(rate)
        steps.append((rate, passed))
        if passed:
            # a step the generator could not fully offer proves only the
            # load it did offer
            lo = min(rate, achieved) if achieved else rate
            best = max(best, lo)
            if rate >= hi:
                break  # passes at the highest load we can offer
        else:
            hi = rate
        if hi - lo <= resolution * hi or hi < min_rate:
            break
        rate = (lo + hi) / 2.0
    return best, steps


def step_passes(loss, tolerance, offered, achieved, shortfall=0.97):
    """One RFC 2544 search step: True (loss within tolerance), False
    (too much loss) or None when the generator offered less than
    shortfall x the load, so the step says nothing about the DUT (the
    search then treats it as a failure: it never counts as a pass)."""
    if achieved < shortfall * offered:
        return None
    return loss <= tolerance


def judge_step(loss, tolerance, offered, achieved, shortfall=0.97):
    """(passed, short) for one search step. short: the generator offered
    less than shortfall x the load. Such a step still shows whether the DUT
    carried what it *was* offered without loss, so it is judged at the
    achieved load (binary_search then counts it at that load, never at the
    asked one) and the search is flagged generator-limited."""
    ok = step_passes(loss, tolerance, offered, achieved, shortfall)
    if ok is None:
        return loss <= tolerance, True
    return ok, False


def resolve_load(spec, reference):
    """'100' -> 100 pps; '50%' -> 50 % of reference pps (None if there is
    no reference). Raises ValueError on a malformed spec."""
    s = str(spec).strip()
    if s.endswith("%"):
        frac = float(s[:-1]) / 100.0
        if not 0 < frac <= 10:
            raise ValueError(f"bad load {spec}")
        return None if not reference else max(1.0, frac * reference)
    v = float(s.lower().replace("k", "e3").replace("m", "e6"))
    if v <= 0:
        raise ValueError(f"bad load {spec}")
    return v
