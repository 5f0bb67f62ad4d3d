"""Runner backends: parallel efficiency of the process pool, Ray's start-up overhead.

    python benchmarks/bench_runner.py                 # 16 jobs of ~1 CPU-s, 2 workers
    python benchmarks/bench_runner.py --jobs 8 --duration 0.5 --repeats 3 --no-ray

Each job is ``toy.noise`` spending ``--duration`` seconds of its own CPU time (not wall
time), so a busy machine slows every backend the way real work would. Efficiency is
``serial time / (workers x pool time)``; the target is >= 90 % for 16 x 1 s on 2 cores.
Ray: time from the call (``ray.init`` included) to the first and to the last result.
The load average is printed too: other processes on the cores depress the pool's number.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time


def _jobs(n, duration):
    from spikey.experiments import registry
    from spikey.runner import Job

    config = registry.get("toy.noise").resolve({"duration_s": duration})
    return [Job("toy.noise", config, s) for s in range(n)]


def _busy_cpu_s():
    """CPU seconds all processes on this machine have used (Linux /proc/stat), or None."""
    try:
        with open("/proc/stat") as fh:
            f = [int(x) for x in fh.readline().split()[1:9]]
    except OSError:
        return None
    return (sum(f) - f[3] - f[4]) / os.sysconf("SC_CLK_TCK")


def _own_cpu_s():
    import resource

    return sum(
        resource.getrusage(w).ru_utime + resource.getrusage(w).ru_stime
        for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )


OTHERS = []  # CPU seconds other processes used during each timed run


def _timed(jobs, backend, **kw):
    from spikey.runner import run_jobs

    first = []
    busy0, own0 = _busy_cpu_s(), _own_cpu_s()
    start = time.perf_counter()
    outs = run_jobs(
        jobs,
        backend=backend,
        on_outcome=lambda o: first.append(time.perf_counter() - start) if not first else None,
        **kw,
    )
    total = time.perf_counter() - start
    if busy0 is not None and backend != "ray":  # Ray's workers are not our children
        OTHERS.append((backend, _busy_cpu_s() - busy0 - (_own_cpu_s() - own0)))
    assert all(o.result is not None for o in outs), [o.error for o in outs]
    busy = sum(o.seconds for o in outs)  # wall time the jobs spent running, inside the workers
    return total, first[0], [o.result.metrics for o in outs], busy


def spawn_overhead(repeats):
    """One empty job: in this process vs on a freshly spawned worker (pool start included)."""
    from spikey.runner.core import execute
    from spikey.runner.process import run_pool

    job = _jobs(1, 0.0)[0]
    here, pool = [], []
    for _ in range(repeats):
        t = time.perf_counter()
        execute(job)
        here.append(time.perf_counter() - t)
        t = time.perf_counter()
        run_pool([(0, job, False)], lambda i, o: None, workers=1)
        pool.append(time.perf_counter() - t)
    return statistics.median(here), statistics.median(pool)


def _empty_user_job(config):
    """A user function that does nothing: the job's cost is all runner overhead."""
    return {"x": float(config.get("x", 0.0))}


def isolation_cost(n_jobs, workers, repeats, backends=("process",)):
    """Per-job overhead of a fresh worker per user-function job vs ``reuse_workers=True``.

    Returns {label: wall s per job per worker}: the wall time of ``n_jobs`` empty jobs on
    ``workers`` workers, times ``workers / n_jobs`` (the time each job adds to a worker).
    The process backend is measured with its workers forked from the fork server (the
    default) and spawned (the fallback where the platform has no fork server)."""
    from spikey.runner import run_function

    variants = []
    for backend in backends:
        methods = ("forkserver", "spawn") if backend == "process" else (None,)
        for method in methods:
            for reuse in (False, True):
                label = f"{backend}{f' {method}' if method else ''} " + (
                    "reuse_workers=True" if reuse else "fresh worker per job"
                )
                opts = {"start_method": method} if method else {}
                variants.append((label, backend, reuse, opts))
    out = {}
    for label, backend, reuse, opts in variants:
        runs = []
        for _ in range(repeats):
            t = time.perf_counter()
            s = run_function(
                _empty_user_job,
                seeds=range(n_jobs),
                backend=backend,
                workers=workers,
                reuse_workers=reuse,
                **opts,
            )
            runs.append((time.perf_counter() - t) * workers / n_jobs)
            assert s["passed"], s["jobs"][0]
        out[label] = statistics.median(runs)
    return out


def _children_cpu_s():
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--jobs", type=int, default=16)
    p.add_argument("--duration", type=float, default=1.0, help="CPU seconds per job")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--repeats", type=int, default=1)
    p.add_argument("--no-ray", action="store_true")
    p.add_argument(
        "--isolation",
        action="store_true",
        help="only measure a fresh worker per user job vs reuse_workers=True",
    )
    a = p.parse_args(argv)
    if a.isolation:
        backends = ("process",) if a.no_ray else ("process", "ray")
        if not a.no_ray:
            os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
        costs = isolation_cost(a.jobs, a.workers, max(a.repeats, 3), backends)
        for label, seconds in costs.items():
            print(f"{label:42s} {seconds * 1e3:7.0f} ms per empty job per worker (median)")
        return
    print(
        f"{a.jobs} jobs x {a.duration} CPU-s, {a.workers} workers, {os.cpu_count()} CPUs, "
        f"load average before: {os.getloadavg()[0]:.2f}"
    )
    here, pool = spawn_overhead(3)
    print(
        f"one empty job: in-process {here * 1e3:.1f} ms, on a new spawned worker "
        f"{pool * 1e3:.0f} ms (pool start-up the 1-job shortcut saves)"
    )
    jobs = _jobs(a.jobs, a.duration)
    serial, proc, ray_total, ray_first, busy_frac = [], [], [], [], []
    ref = None
    for _ in range(a.repeats):
        t, _, ref, _ = _timed(jobs, "serial")
        serial.append(t)
        t, _, got, busy = _timed(jobs, "process", workers=a.workers)
        assert got == ref, "process backend changed the numbers"
        proc.append(t)
        busy_frac.append(busy / (a.workers * t))
    s, q = statistics.median(serial), statistics.median(proc)
    print(f"serial  median {s:7.2f} s   ({s / a.jobs:.3f} s/job)")
    print(
        f"process median {q:7.2f} s   speed-up {s / q:.2f}x, parallel efficiency "
        f"{100 * s / (a.workers * q):.1f} % vs serial, "
        f"{100 * a.jobs * a.duration / (a.workers * q):.1f} % vs the ideal "
        f"{a.jobs * a.duration / a.workers:.2f} s (jobs x CPU-s / workers)"
    )
    print(
        "  all runs (serial, process): "
        + ", ".join(f"({x:.2f}, {y:.2f})" for x, y in zip(serial, proc))
    )
    print(
        "  CPU-s other processes took during each run: "
        + ", ".join(f"{b} {x:.1f}" for b, x in OTHERS)
        + " (near 0: a clean measurement)"
    )
    print(
        f"  workers busy with jobs {100 * statistics.median(busy_frac):.1f} % of the pool's wall time "
        "(the runner's own overhead, insensitive to other load on the cores)"
    )
    if not a.no_ray:
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        import ray

        for i in range(a.repeats):
            if ray.is_initialized():
                ray.shutdown()
            t, first, got, _ = _timed(jobs, "ray", workers=a.workers)
            assert got == ref, "ray backend changed the numbers"
            ray_total.append(t)
            ray_first.append(first)
        rt, rf = statistics.median(ray_total), statistics.median(ray_first)
        print(
            f"ray     median {rt:7.2f} s   start->first result {rf:.2f} s (one job is "
            f"{s / a.jobs:.2f} s, so ~{rf - s / a.jobs:.2f} s of Ray start-up); "
            f"efficiency {100 * s / (a.workers * rt):.1f} %"
        )
        ray.shutdown()
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
