"""cpu.py - per-core busy time from /proc/stat (proc(5)): the DUT core's
busy share during a trial, and CPU ns per packet.

busy = user + nice + system + irq + softirq + steal (everything but idle
and iowait), in USER_HZ ticks (10 ms): trials shorter than ~1 s are coarse.
"""
import os

TICK_S = 1.0 / os.sysconf("SC_CLK_TCK")


def snapshot(path="/proc/stat"):
    """{cpu index: (busy ticks, total ticks)} for every cpuN line."""
    out = {}
    with open(path) as f:
        for line in f:
            if not line.startswith("cpu") or line.startswith("cpu "):
                continue
            name, *vals = line.split()
            v = [int(x) for x in vals]
            idle = v[3] + (v[4] if len(v) > 4 else 0)
            total = sum(v[:8])  # guest time is already inside user/nice
            out[int(name[3:])] = (total - idle, total)
    return out


def core_ticks(path="/proc/stat"):
    """{cpu index: (task ticks, interrupt ticks)}: task = user + nice +
    system, interrupt = irq + softirq (veth NAPI run inline, RPS backlog
    processing, on that core)."""
    out = {}
    with open(path) as f:
        for line in f:
            if line.startswith("cpu") and not line.startswith("cpu "):
                name, *vals = line.split()
                v = [int(x) for x in vals[:7]]
                out[int(name[3:])] = (v[0] + v[1] + v[2], v[5] + v[6])
    return out


def own_ticks(task_ticks_delta, core_before, core_after):
    """Ticks of the DUT's own work on its core: its tasks' ticks plus the
    core's interrupt ticks, without counting twice what is in both.

    With tick accounting a tick that lands in softirq run in a task's
    context goes to the core's softirq *and* to the task's stime
    (kernel/sched/cputime.c, account_system_index_time()); a poller whose
    system calls raise the transmit softirq has most of it there. The
    tasks' own user/system share cannot exceed the core's, so the tasks
    count for at most the core's task ticks: exact when nothing else runs
    on the core, an upper bound otherwise."""
    core_task = core_after[0] - core_before[0]
    core_irq = core_after[1] - core_before[1]
    return min(task_ticks_delta, core_task) + core_irq


def task_ticks(pids):
    """Sum of utime + stime ticks of the given processes / kthreads (whole
    thread group); vanished pids count 0."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                rest = f.read().rsplit(")", 1)[1].split()
            total += int(rest[11]) + int(rest[12])  # fields 14, 15: utime, stime
        except (OSError, IndexError, ValueError):
            pass
    return total


def busy(before, after, core):
    """(busy fraction 0..1, busy seconds) of core between two snapshots."""
    b0, t0 = before[core]
    b1, t1 = after[core]
    dt = t1 - t0
    if dt <= 0:
        return 0.0, 0.0
    return (b1 - b0) / dt, (b1 - b0) * TICK_S


def traffic_busy(pre, start, end, core, traffic_s):
    """(busy seconds, busy fraction) of core during a traffic window of
    traffic_s seconds that lies inside the snapshots start..end.

    start..end bracket the generator's whole process (its start-up and exit
    too). The busy share outside the traffic is taken from the quiet
    period pre..start just before: a poller is busy there too (its core
    counts 1/rate exactly), a kernel path is idle there (all of the busy
    time is the traffic's)."""
    bp, tp = pre[core]
    b0, t0 = start[core]
    b1, t1 = end[core]
    idle_share = (b0 - bp) / (t0 - tp) if t0 > tp else 0.0
    window_s = (t1 - t0) * TICK_S
    busy_s = (b1 - b0) * TICK_S - idle_share * max(0.0, window_s - traffic_s)
    busy_s = max(0.0, min(busy_s, traffic_s))
    return busy_s, (busy_s / traffic_s if traffic_s > 0 else 0.0)


def ns_per_packet(busy_seconds, packets):
    """CPU ns spent per packet (None when no packet went through)."""
    if not packets:
        return None
    return busy_seconds * 1e9 / packets


def marginal_ns(rate_pps, ceiling_pps):
    """Inline placement: the forwarder's marginal cost per packet,
    1/rate - 1/ceiling in ns (both pps at the same frame size)."""
    if not rate_pps or not ceiling_pps:
        return None
    return 1e9 / rate_pps - 1e9 / ceiling_pps


def model():
    """The CPU model name from /proc/cpuinfo."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def background(seconds=1.0):
    """Busy fraction of every core over `seconds` before the run starts
    (nothing of ours running): on a shared machine other tasks inflate
    the DUT core's busy share, and this says by how much at most."""
    import time
    a = snapshot()
    time.sleep(seconds)
    b = snapshot()
    return {c: round(busy(a, b, c)[0], 3) for c in sorted(a)}


def _spin(shm_name, rounds, core, deadline):
    """Echo side of the ping-pong probe: wait for an odd value, write it + 1."""
    import time
    from multiprocessing import shared_memory
    os.sched_setaffinity(0, {core})
    m = shared_memory.SharedMemory(name=shm_name)
    try:
        b = m.buf
        for i in range(rounds):
            want = 2 * i + 1
            while b[0] != want % 256:
                if time.monotonic() > deadline:
                    return
            b[0] = (want + 1) % 256
    finally:
        m.close()


def probe(rounds=2000, timeout=2.0):
    """A small host-speed record for run.json (MACHINE.md: figures move
    with the host): ns per iteration of a Python loop on each core, and
    the round trip of a shared-memory ping-pong between cores 0 and 1
    (cache-line hand-off plus interpreter overhead: compare between runs,
    not with C numbers). None where it could not be measured."""
    import multiprocessing
    import time
    from multiprocessing import shared_memory
    out = {"loop_ns": {}, "pingpong_ns": None}
    old = os.sched_getaffinity(0)
    try:
        for c in sorted(old):
            os.sched_setaffinity(0, {c})
            t = time.perf_counter_ns()
            for _ in range(200000):
                pass
            out["loop_ns"][c] = round((time.perf_counter_ns() - t) / 200000, 1)
        if len(old) < 2:
            return out
        m = shared_memory.SharedMemory(create=True, size=8)
        try:
            m.buf[0] = 0
            deadline = time.monotonic() + timeout
            ctx = multiprocessing.get_context("fork")
            p = ctx.Process(target=_spin, args=(m.name, rounds, 1, deadline))
            p.start()
            os.sched_setaffinity(0, {0})
            b = m.buf
            t = time.perf_counter_ns()
            done = 0
            for i in range(rounds):
                b[0] = (2 * i + 1) % 256
                while b[0] != (2 * i + 2) % 256:
                    if time.monotonic() > deadline:
                        break
                else:
                    done += 1
                    continue
                break
            el = time.perf_counter_ns() - t
            p.join(timeout)
            if p.is_alive():
                p.kill()
            if done == rounds:
                out["pingpong_ns"] = round(el / rounds, 1)
        finally:
            m.close()
            m.unlink()
    finally:
        os.sched_setaffinity(0, old)
    return out
