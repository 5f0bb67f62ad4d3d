"""Reward template: the network's dopamine signal."""

from __future__ import annotations

import warnings
from typing import Any

from spikey.module import Key, Module
from spikey.snn._util import check_number


class Reward(Module):
    """Decides the reward of taking ``action`` in ``state``; subclass and define
    ``__call__(state, action, state_next) -> float``, typically returning
    ``self._reward_mult`` or ``self._punish_mult``."""

    NECESSARY_KEYS = [
        Key("reward_mult", "Reward size.", float, default=1),
        Key("punish_mult", "Punishment size (MatchExpected gives -punish_mult).", float, default=0),
    ]

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        check_number(self, "reward_mult", self._reward_mult)
        check_number(self, "punish_mult", self._punish_mult)
        if self._punish_mult < 0:
            warnings.warn(
                f"{type(self).__name__}: punish_mult={self._punish_mult} is negative, "
                "so punishment becomes reward.",
                stacklevel=2,
            )

    def reset(self) -> None:
        """Start of an episode: a rewarder that keeps state between steps clears it here."""

    def __call__(self, state, action, state_next) -> float:
        raise NotImplementedError(f"{type(self).__name__}.__call__ is not implemented.")
