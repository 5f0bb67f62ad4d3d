"""Threads that hold up on a busy machine: each chunk of a run goes to the network's threads or
to one thread, whichever ran faster lately.

The threaded kernel meets its threads at a barrier every ms. When another process holds one of
the cores, a thread waits for its partner to be scheduled again at every barrier, and 2
threads ran 3x slower than 1 (issue 21: 0.21x against 0.60x real time at 100k neurons on a
loaded 2-core machine). Both kernels give the same spikes and state bit for bit, so the network
may switch between them at any chunk boundary: :class:`ThreadChoice` measures the wall time per
model ms of each, runs the faster, and now and then (after 8 chunks, doubling while the choice
holds, up to 128) runs one chunk on the other to notice a change of load. Chunks are cut to
about :data:`CHUNK_WALL_S` of wall time so the choice can follow the load; a probe is shorter,
about :data:`PROBE_WALL_S` at the pace last measured for it, or at :data:`UNKNOWN_SLOWDOWN`
times the chosen option's pace before it was ever measured (on a loaded machine the threads
ran up to 70x slower than one thread with OpenMP's spinning wait, measured: a probe must not
cost a second). A probe that finds the chosen option ahead by less than :data:`MARGIN` is
repeated soon (after :data:`FIRST_GAP` chunks), and each option's figure is the mean of its last
and its new measurement: short chunks on a loaded machine are noisy. The choice leans towards one
thread (:data:`PREFER_ONE`): with another process beside them, 2 threads ran as fast as one at
best, and a noisy lead of a few per cent is not worth the risk.
"""

from __future__ import annotations

#: wall seconds a chunk should take while threads are being chosen
CHUNK_WALL_S = 0.1
#: wall seconds a probe of the other option should take (at least PROBE_MIN_MS model ms)
PROBE_WALL_S = 0.05
PROBE_MIN_MS = 25  # a threaded chunk starts slowly on a loaded machine: 10 ms ones measured
# 4.8-6.5 ms of wall per ms where 50-200 ms ones took 3.8-4.2 (100k neurons, a busy loop beside)
#: how much slower than the chosen option a never-measured one is assumed to be when its first
#: probe is sized
UNKNOWN_SLOWDOWN = 4.0
#: a probe confirms the choice (and the next comes later) only when the chosen option is at
#: least this much faster; a closer call is probed again after FIRST_GAP chunks
MARGIN = 1.25
#: the threads are chosen only when this much faster than one thread: when they are about as
#: fast (another process holds a core) one thread is the safe choice, since a threaded chunk
#: can lose much more to the scheduler than a serial one
PREFER_ONE = 1.1
FIRST_GAP, MAX_GAP = 8, 128


class ThreadChoice:
    """Chooses, per chunk, between ``threads`` threads and one by measured wall time per ms.

    Parameters
    ----------
    threads : int
        The threads asked for (> 1).
    """

    def __init__(self, threads: int):
        self.threads = int(threads)
        self.per_ms: dict[int, float] = {}  # threads -> wall seconds per model ms, lately
        self.best = 1
        self.chunks = 0
        self.gap = FIRST_GAP
        self.next_probe = 0

    def pick(self) -> int:
        """Threads for the next chunk: each option once first (one thread first), then the
        faster, and the other one chunk in a while."""
        for option in (1, self.threads):
            if option not in self.per_ms:
                return option
        if self.chunks >= self.next_probe:
            return 1 if self.best == self.threads else self.threads
        return self.best

    def chunk_ms(self, option: int, n_ms: int) -> int:
        """At most ``n_ms`` ms: about :data:`CHUNK_WALL_S` of wall time at ``option``'s pace
        when it is the choice (at least 10 ms; 20 ms before anything was measured), about
        :data:`PROBE_WALL_S` when it is probed (at least :data:`PROBE_MIN_MS`)."""
        per = self.per_ms.get(option)
        if not self.per_ms:
            return min(n_ms, 20)
        if option == self.best and per is not None:
            return max(1, min(n_ms, max(10, int(CHUNK_WALL_S / max(per, 1e-9)))))
        if per is None:  # never measured: assume it is much slower than what was
            per = UNKNOWN_SLOWDOWN * min(self.per_ms.values())
        return max(1, min(n_ms, max(PROBE_MIN_MS, int(PROBE_WALL_S / max(per, 1e-9)))))

    def record(self, option: int, ms: int, wall_s: float) -> None:
        """The chunk just run: ``ms`` model ms on ``option`` threads in ``wall_s`` seconds."""
        if ms <= 0:
            return
        per = wall_s / ms
        probe = option != self.best or option not in self.per_ms
        old = self.per_ms.get(option)
        # a probe's figure is averaged with the last one (short chunks on a loaded machine are
        # noisy); the chosen option's with its running figure
        self.per_ms[option] = per if old is None else 0.5 * (old + per)
        self.chunks += 1
        if len(self.per_ms) < 2:
            return
        one, many = self.per_ms[1], self.per_ms[self.threads]
        best = self.threads if many * PREFER_ONE < one else 1
        if probe:  # a probe decides: keep the choice (probe less often if clearly) or switch
            kept = best == self.best
            clear = kept and per >= MARGIN * self.per_ms[best]  # this probe was clearly slower
            self.gap = min(2 * self.gap, MAX_GAP) if clear else FIRST_GAP
            self.next_probe = self.chunks + self.gap
        self.best = best
