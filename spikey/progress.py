"""Progress bars that switch off cleanly (tests, worker processes, ``--json``)."""

from __future__ import annotations

import sys


class NullBar:
    """A progress bar that shows nothing (the same methods as tqdm's that spikey uses)."""

    def update(self, n=1):
        pass

    def set_postfix_str(self, s=""):
        pass

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def progress_factory(enabled: bool | None = None, position: int = 0):
    """Return ``make(total, desc, **tqdm_options) -> bar`` with ``update(n)``/``close()``;
    tqdm when enabled.

    ``enabled=None`` means: only when stderr is a terminal.
    """
    if enabled is None:
        enabled = sys.stderr.isatty()

    def make(total=None, desc="", **tqdm_options):
        if not enabled:
            return NullBar()
        from tqdm.auto import tqdm

        return tqdm(
            total=total,
            desc=desc,
            position=position,
            leave=position == 0,
            dynamic_ncols=True,
            file=sys.stderr,
            **tqdm_options,
        )

    return make
