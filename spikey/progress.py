"""Progress bars that switch off cleanly (tests, worker processes, ``--json``)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any


class NullBar:
    """A progress bar that shows nothing (the same methods as tqdm's that spikey uses)."""

    def update(self, n: int = 1) -> None:
        """Do nothing (tqdm: advance by ``n``)."""

    def set_postfix_str(self, s: str = "") -> None:
        """Do nothing (tqdm: show ``s`` after the bar)."""

    def close(self) -> None:
        """Do nothing (tqdm: finish the bar)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def progress_factory(enabled: bool | None = None, position: int = 0) -> Callable[..., Any]:
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
