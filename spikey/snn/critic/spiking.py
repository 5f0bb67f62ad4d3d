"""SpikingCritic: V(s) from a population's spike count; its TD error is the dopamine."""

from __future__ import annotations

from typing import Any

from spikey.module import Key, Module, config_error
from spikey.snn._util import check_number


class SpikingCritic(Module):
    """``n_critic`` neurons whose mean spike count per game step, times ``value_scale``,
    plus ``value_offset``, is V(s). The TD error ``delta = r + gamma V(s') - V(s)`` (``r - V(s)`` when the episode
    terminates; a truncated episode keeps the bootstrap) is the network's dopamine signal
    and may be negative (a dip). ``dopamine="nodip"`` clips it at 0 and ``"reward"``
    sends the raw reward instead (the two ablations).
    """

    NECESSARY_KEYS = [
        Key("n_critic", "Neurons of the critic population.", int, default=50),
        Key(
            "value_scale",
            "V per unit of mean spike count (negative: a cost critic, whose spikes lower V).",
            float,
            default=10.0,
        ),
        Key(
            "value_offset",
            "V of a silent critic (negative for tasks that cost per step).",
            float,
            default=0.0,
        ),
        Key("gamma", "Discount per game step.", float, default=0.97),
        Key("dopamine", "'td' (signed TD error), 'nodip' or 'reward'.", str, default="td"),
        Key(
            "td_clip",
            "Bound on the dopamine signal's size, |delta| <= td_clip (dopamine neurons' "
            "firing has a limited range); 0: unbounded.",
            float,
            default=0.0,
        ),
        Key(
            "critic_eligibility",
            "'spike' (TD-LTP: post spike x PSP) or 'rate' (the firing intensity x PSP: "
            "free of the bias a critic's own spike noise gives its TD error).",
            str,
            default="spike",
        ),
    ]

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        check_number(self, "n_critic", self._n_critic, lo=1, integer=True)
        check_number(self, "value_scale", self._value_scale)
        if self._value_scale == 0:
            raise config_error(self, "value_scale", self._value_scale, "a nonzero number")
        check_number(self, "value_offset", self._value_offset)
        check_number(self, "gamma", self._gamma, lo=0, hi=1)
        if self._dopamine not in ("td", "nodip", "reward"):
            raise config_error(self, "dopamine", self._dopamine, "'td', 'nodip' or 'reward'")
        check_number(self, "td_clip", self._td_clip, lo=0)
        if self._critic_eligibility not in ("spike", "rate"):
            raise config_error(
                self, "critic_eligibility", self._critic_eligibility, "'spike' or 'rate'"
            )

    def value(self, count: float) -> float:
        """V from the population's spike count in one game step."""
        return self._value_offset + self._value_scale * float(count) / self._n_critic

    def td_error(self, reward: float, v: float, v_next: float | None) -> float:
        """The dopamine signal of one transition (``v_next=None``: termination)."""
        if self._dopamine == "reward":
            return float(reward)
        d = reward - v if v_next is None else reward + self._gamma * v_next - v
        if self._td_clip > 0:
            d = min(max(d, -self._td_clip), self._td_clip)
        return max(d, 0.0) if self._dopamine == "nodip" else d
