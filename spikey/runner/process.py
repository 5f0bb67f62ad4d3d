"""The ``process`` backend: a pool of spawned worker processes, one job at a time each.

Each worker talks to the parent over its own pipe, so when a worker dies (killed, a
segfault, the out-of-memory killer) the parent knows which job it held, runs that job
again on a fresh worker (up to ``max_retries`` times) and keeps every other result.
``concurrent.futures`` cannot do this: one dead worker breaks its whole pool.

Workers start from a *fork server* where the platform has one (Linux, macOS), else are
spawned; never forked from the caller (numba's and OpenMP's threads do not survive a
fork). The fork server is itself spawned clean, imports the runner and ``spikey.snn``
once (starting no threads) and never runs a job, so every worker begins as the same
pristine copy in ~10-100 ms instead of ~0.4 CPU-s of imports: a fresh worker per job
(isolation) is then cheap. BLAS/OpenMP/numba thread counts are pinned to 1 in the
server's environment and so in every worker: N workers use N cores.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import pickle
import signal
import sys
import time
from collections import deque
from collections.abc import Callable
from contextlib import contextmanager
from multiprocessing.connection import wait
from typing import Any

import cloudpickle

from spikey.progress import NullBar, progress_factory
from spikey.runner.job import Job, Outcome, execute

THREAD_ENV = {
    name: "1"
    for name in (
        "OMP_NUM_THREADS",
        "OPENBLAS_NUM_THREADS",
        "MKL_NUM_THREADS",
        "VECLIB_MAXIMUM_THREADS",
        "NUMEXPR_NUM_THREADS",
        "NUMBA_NUM_THREADS",
        "BLIS_NUM_THREADS",
    )
}


def default_workers() -> int:
    """The CPUs this process may run on (its affinity on Linux), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@contextmanager
def _env(values):
    """Set environment variables while workers start (spawned children copy os.environ)."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def dumps_job(job: Job) -> bytes:
    """Pickle a job; functions from ``__main__`` or closures go by value (cloudpickle)."""
    # the job's function, or the user's function a FunctionTask wraps
    by_value = job.func is not None and any(
        getattr(f, "__module__", None) == "__main__" or "<locals>" in getattr(f, "__qualname__", "")
        for f in (job.func, getattr(job.func, "fn", None))
    )
    if not by_value:
        try:
            return pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:
            pass
    return cloudpickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)


class _RelayBar(NullBar):
    """A progress bar inside a worker: sends its state to the parent a few times a second."""

    def __init__(self, conn, total, desc):
        self.conn, self.total, self.desc, self.n, self.sent = conn, total, desc, 0, 0.0
        self._send(force=True)

    def _send(self, force=False):
        now = time.monotonic()
        if force or now - self.sent > 0.25:
            self.sent = now
            try:
                self.conn.send(("progress", self.n, self.total, self.desc))
            except OSError:
                pass

    def update(self, n=1):
        self.n += n
        self._send()

    def close(self):
        self._send(force=True)


_UNGUARDED_HINT = (
    "; if your script starts jobs at its top level, put that code under "
    "`if __name__ == '__main__':`, because each worker re-imports the script"
)


def _unguarded_script(start_method: str) -> bool:
    """Whether ``__main__`` is a script file whose top level may start jobs again in a worker
    (Python's spawn/forkserver workers re-run it; they then die at start-up with exit code 1)."""
    main = sys.modules.get("__main__")
    return bool(getattr(main, "__file__", None)) and start_method != "fork"


def _worker(conn, relay_progress):
    """Worker loop: receive pickled jobs, send back (result, error, traceback, seconds).

    Ctrl-C is the parent's to handle (it stops the workers); a worker ignores it.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def make_bar(total=None, desc=""):
        return _RelayBar(conn, total, desc)

    bars = make_bar if relay_progress else progress_factory(False)
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        payload, guard = msg
        try:
            job = pickle.loads(payload)
        except Exception as err:
            conn.send(
                (
                    "done",
                    None,
                    f"{type(err).__name__}: could not unpickle the job: {err}",
                    None,
                    0.0,
                    {},
                )
            )
            continue
        out = execute(job, progress=bars, guard=guard)
        try:
            conn.send(("done", out.result, out.error, out.traceback, out.seconds, out.extra))
        except Exception as err:  # the Result itself does not pickle
            conn.send(
                (
                    "done",
                    None,
                    f"{type(err).__name__}: the job's Result could not be sent back: {err}",
                    None,
                    out.seconds,
                    out.extra,
                )
            )


class _Slot:
    def __init__(self, ctx, index, relay_progress):
        parent, child = ctx.Pipe(duplex=True)
        with _env(THREAD_ENV):
            self.proc = ctx.Process(
                target=_worker,
                args=(child, relay_progress),
                daemon=True,
                name=f"spikey-worker-{index}",
            )
            self.proc.start()
        child.close()
        self.conn, self.index, self.task, self.bar = parent, index, None, None

    def retire(self):
        """Ask the worker to end after its job (without waiting; :meth:`stop` joins it)."""
        try:
            self.conn.send(None)
        except OSError:
            pass

    def stop(self, timeout=2.0):
        self.retire()
        self.proc.join(timeout)
        if self.proc.is_alive():
            self.proc.terminate()
            self.proc.join(1.0)
        self.conn.close()


def default_start_method() -> str:
    """``forkserver`` where the platform has it (Linux, macOS), else ``spawn``."""
    return "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"


#: What the fork server imports once, so each worker forked from it starts with them loaded
FORKSERVER_PRELOAD = ["spikey.runner.process", "spikey.snn"]


def run_pool(
    tasks: list[tuple[int, Job, bool]],
    finish: Callable[[int, Outcome], Any],
    workers: int | None = None,
    max_retries: int = 2,
    progress: bool | None = False,
    start_method: str | None = None,
) -> None:
    """Run ``tasks`` ((index, Job, fresh) tuples) on a worker pool; call ``finish(index, Outcome)``.

    Outcomes arrive in the order jobs finish. A job whose worker dies is put back at the
    front of the queue (``max_retries`` times at most), then recorded as failed. A
    ``fresh`` job gets a worker that has run nothing before and ends after it.
    ``tasks`` may be a list (every job is pickled before the first starts) or an iterator,
    pulled only when a worker is free (a sweep asks for its next trial after ``finish``
    has told it the last results).
    """
    pool = _Pool(tasks, finish, workers, max_retries, progress, start_method)
    try:
        while True:
            pool.fill()
            busy = [s for s in pool.slots if s.task is not None]
            if not busy:
                break
            ready = wait([s.conn for s in busy] + [s.proc.sentinel for s in busy])
            for slot in busy:
                if slot.conn in ready or slot.proc.sentinel in ready:
                    pool.collect(slot, ready)
    finally:
        pool.close()


class _Pool:
    """The state of one :func:`run_pool` call: the queue, the worker slots, the attempts."""

    def __init__(self, tasks, finish, workers, max_retries, progress, start_method):
        self.start_method = start_method or default_start_method()
        self.ctx = mp.get_context(self.start_method)
        if self.start_method == "forkserver":
            self.ctx.set_forkserver_preload(FORKSERVER_PRELOAD)
        self.queue: deque = deque()
        if isinstance(tasks, (list, tuple)):
            self.queue.extend((index, job, dumps_job(job), fresh) for index, job, fresh in tasks)
            self.source = iter(())
            self.n_workers = min(workers or default_workers(), len(tasks))
        else:
            self.source = iter(tasks)
            self.n_workers = workers or default_workers()
        self.finish, self.max_retries, self.progress = finish, max_retries, progress
        self.attempts: dict[int, int] = {}
        self.deaths: dict[int, list] = {}
        self.slots: list[_Slot] = []
        self.retired: list[_Slot] = []

    def next_task(self):
        """The next (index, job, payload, fresh): a retried one first, else a new one."""
        if self.queue:
            return self.queue.popleft()
        for index, job, fresh in self.source:
            return index, job, dumps_job(job), fresh
        return None

    def fill(self) -> None:
        """Give a task to every idle worker, starting workers up to ``n_workers``."""
        idle = [s for s in self.slots if s.task is None]
        while idle or len(self.slots) < self.n_workers:
            task = self.next_task()
            if task is None:
                break
            if idle:
                slot = idle.pop()
            else:
                free = sorted(set(range(self.n_workers)) - {s.index for s in self.slots})
                slot = _Slot(self.ctx, free[0], self.progress)
                self.slots.append(slot)
            slot.task = task
            self.attempts[task[0]] = self.attempts.get(task[0], 0) + 1
            slot.started = time.perf_counter()
            slot.spent = task[3]
            try:
                slot.conn.send((task[2], not task[3]))
            except OSError:  # the worker is gone; its sentinel reports it below
                pass

    def collect(self, slot, ready) -> None:
        """Read what a ready worker says: progress, its job's outcome, or its death."""
        msg = None
        if slot.conn in ready:
            try:
                msg = slot.conn.recv()
            except (EOFError, OSError):
                msg = None
        if msg is not None and msg[0] == "progress":
            _show(slot, msg, self.progress)
            return
        task = slot.task
        index, job = task[0], task[1]
        slot.task = None
        _close_bar(slot)
        if msg is None:
            self.died(slot, task)
            return
        _, result, error, tb, seconds, extra = msg  # ("done", ...)
        if slot.spent:  # a fresh job's worker runs nothing else
            slot.retire()
            self.slots.remove(slot)
            self.retired.append(slot)
        deaths = {"worker_deaths": self.deaths[index]} if index in self.deaths else {}
        extra = {**extra, "attempts": self.attempts[index], **deaths}
        outcome = Outcome(job, result=result, error=error, traceback=tb, seconds=seconds,
                          extra=extra)  # fmt: skip
        self.finish(index, outcome)

    def died(self, slot, task) -> None:
        """The worker died holding ``task``: queue it again, or record it as failed."""
        index, job = task[0], task[1]
        slot.proc.join(1.0)
        code = slot.proc.exitcode
        slot.conn.close()
        self.slots.remove(slot)
        how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
        if code == 1 and _unguarded_script(self.start_method):
            how += _UNGUARDED_HINT
        self.deaths.setdefault(index, []).append(f"WorkerDied: the worker process ended ({how})")
        if self.attempts[index] <= self.max_retries:
            self.queue.appendleft(task)  # next in line, before any new task
            return
        self.finish(
            index,
            Outcome(
                job,
                error=f"WorkerDied: the worker process ended ({how}) "
                f"while running this job, {self.attempts[index]} times",
                seconds=time.perf_counter() - slot.started,
                extra={"attempts": self.attempts[index], "worker_deaths": self.deaths[index]},
            ),
        )

    def close(self) -> None:
        """Stop every worker (one still running a job is terminated)."""
        for slot in self.slots:
            _close_bar(slot)
            if slot.task is not None:  # interrupted: do not wait for the job
                slot.proc.terminate()
            slot.stop()
        for slot in self.retired:
            slot.stop()


def _show(slot, msg, enabled):
    if not enabled:
        return
    _, n, total, desc = msg
    if slot.bar is None:
        make = progress_factory(True, position=slot.index + 1)
        slot.bar = make(total, f"  seed {slot.task[1].seed} {desc}".rstrip())
    slot.bar.total = total
    slot.bar.n = n
    slot.bar.refresh()


def _close_bar(slot):
    if slot.bar is not None:
        slot.bar.close()
        slot.bar = None
