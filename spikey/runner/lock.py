"""One run directory, one writer: the lock a run holds on its run directory.

Two processes started on the same ``--out``/``--rundir`` (a user who launches the same
command twice) would both run every job and append every result twice. The run that
starts second is refused at once, with a :class:`RunDirLocked` error naming the holder
(PID, host, start time, command).

The lock is ``DIR/run.lock``: an advisory ``flock`` held on that file for as long as the
run lasts, the file holding the holder's description. The kernel drops the ``flock`` when
its process dies however it dies (killed, crashed), so a lock left behind by a killed run
is stale by construction: the next run takes it over and says whose it was
(:class:`StaleLockWarning`). Where ``flock`` is not available the holder's PID is checked
instead (same host: a PID that no longer exists, or exists with another start time, is
stale; another host: refused, with how to remove the lock by hand).
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import socket
import sys
import warnings
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX
    fcntl = None

LOCK = "run.lock"


class RunDirLocked(ValueError):
    """Another live process holds the run directory's lock (a ValueError, like every
    run-directory error the user fixes: the command line prints it on one line)."""


class StaleLockWarning(UserWarning):
    """A lock left by a process that no longer runs was taken over."""


def _start_ticks(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (Linux), or None."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[19].decode()
    except (OSError, IndexError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, another user's
        return True
    except OSError:
        return False
    return True


def describe(holder: dict) -> str:
    """``PID 123 on host h, started 2026-12-07T08:00:00+00:00 (spikey run ...)``."""
    text = (
        f"PID {holder.get('pid', '?')} on host {holder.get('host', '?')}, "
        f"started {holder.get('started', '?')}"
    )
    if holder.get("command"):
        text += f" ({holder['command']})"
    return text


class RunLock:
    """The lock of one run directory: :meth:`acquire`, then :meth:`release` (or ``with``).

    Parameters
    ----------
    folder : path
        The run directory (must exist).
    """

    def __init__(self, folder):
        self.path = Path(folder) / LOCK
        self.fd: int | None = None
        self.depth = 0

    def me(self) -> dict:
        """This process's description, as written into the lock file."""
        pid = os.getpid()
        return {
            "pid": pid,
            "host": socket.gethostname(),
            "started": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
            "ticks": _start_ticks(pid),
            "command": " ".join([os.path.basename(sys.argv[0] or "python"), *sys.argv[1:]])[:300],
        }

    def read(self) -> dict:
        """The holder's description in the lock file ({} when none or unreadable)."""
        try:
            doc = json.loads(self.path.read_text(encoding="utf-8") or "{}")
        except (OSError, ValueError):
            return {}
        return doc if isinstance(doc, dict) else {}

    def acquire(self) -> None:
        """Take the lock or raise :class:`RunDirLocked` at once (never waits). A stale lock
        (its process is gone) is taken over with a :class:`StaleLockWarning`. Re-entrant
        within one RunLock."""
        if self.fd is not None:
            self.depth += 1
            return
        for _ in range(20):  # the file can be replaced under us: retry until we hold it
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                if not self._lock_fd(fd):
                    holder = self.read()
                    raise RunDirLocked(
                        f"run directory {self.path.parent} is in use by another spikey run: "
                        f"{describe(holder) if holder else 'a live process'}. Wait for it to "
                        "finish (its finished jobs are then kept here), or pass another "
                        "--out/--rundir."
                    )
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            except BaseException:
                os.close(fd)
                raise
            if not same:
                os.close(fd)
                continue
            old = self.read()
            if old and old.get("pid") != os.getpid():
                warnings.warn(
                    f"run directory {self.path.parent}: took over the lock of a run that is no "
                    f"longer running ({describe(old)}); jobs it finished are kept, the ones it "
                    "left unfinished run again",
                    StaleLockWarning,
                    stacklevel=3,
                )
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(self.me()).encode(), 0)
            self.fd, self.depth = fd, 1
            return
        raise RunDirLocked(f"could not take the lock {self.path}: it kept being replaced")

    def _lock_fd(self, fd: int) -> bool:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                return False
            except OSError:  # a file system without flock: fall back to the PID
                pass
        holder = self.read()
        pid = holder.get("pid")
        if not isinstance(pid, int) or pid == os.getpid():
            return True
        if holder.get("host") != socket.gethostname():
            raise RunDirLocked(
                f"run directory {self.path.parent} is locked by {describe(holder)}, on another "
                f"host, which cannot be checked from here; if that run is gone, delete "
                f"{self.path} and start again"
            )
        ticks = holder.get("ticks")
        return not (_alive(pid) and (ticks is None or _start_ticks(pid) in (None, ticks)))

    def release(self) -> None:
        """Drop the lock (the outermost release removes the lock file)."""
        if self.fd is None:
            return
        self.depth -= 1
        if self.depth > 0:
            return
        try:
            self.path.unlink(missing_ok=True)
        except OSError:
            pass
        os.close(self.fd)  # closing drops the flock
        self.fd = None

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc):
        self.release()
