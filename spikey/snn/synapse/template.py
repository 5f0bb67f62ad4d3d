"""Synapse templates: learning rules that change the weights from spike timing."""

from __future__ import annotations

from typing import Any

import numpy as np

from spikey.module import Key, Module, check_memory
from spikey.snn._util import check_number, setting
from spikey.snn.weight.template import Weight, live_mask


class Synapse(Module):
    """Plasticity rule over the network's :class:`~spikey.snn.weight.template.Weight`.

    The network calls ``update(window, polarities)`` once per network step, where
    ``window`` is a bool array (stdp_window, n_inputs + n_neurons) of who spiked in
    the last ``stdp_window`` steps (``window[-1]`` most recent) and ``polarities`` the
    +-1 of every column. ``trace`` scales the updates and is multiplied by
    ``1 - trace_decay`` after every step.
    """

    NECESSARY_KEYS = [
        Key("n_neurons", "Number of neurons in the network body.", int),
        Key("n_inputs", "Number of input neurons, separate from the body.", int),
        Key("stdp_window", "Steps of spike history the rule looks at.", int),
        Key("learning_rate", "Scale of weight updates.", float),
        Key("trace_decay", "[0, 1] Share of the trace lost per step.", float, default=1),
    ]

    #: smallest stdp_window the rule accepts
    MIN_WINDOW = 1

    def __init__(self, w: Weight, **kwargs: Any):
        super().__init__(**kwargs)
        check_number(self, "n_neurons", self._n_neurons, lo=1, integer=True)
        check_number(self, "n_inputs", self._n_inputs, lo=0, integer=True)
        check_number(self, "stdp_window", self._stdp_window, lo=self.MIN_WINDOW, integer=True)
        n_all = self._n_inputs + self._n_neurons
        check_memory(self, "stdp_window", self._stdp_window, 3 * self._stdp_window * n_all)
        check_number(self, "learning_rate", self._learning_rate)
        check_number(self, "trace_decay", self._trace_decay, lo=0, hi=1)
        self.weights = w
        self.trace = 0.0

    def reset(self) -> None:
        """Start of an episode: zero the reward trace."""
        self.trace = 0.0

    def _decay_trace(self):
        self.trace *= 1.0 - self._trace_decay

    def _clip_blocks(self, blocks):
        """Clip the touched (rows, cols) blocks to [0, max_weight]; the whole matrix, with
        the weight object's own ``clip``, where the original called it: when the weight is
        not a plain :class:`Weight` (a subclass's ``clip``, any object with the original's
        protocol) or a block is unknown (None: a ``_hebbian`` of the user's)."""
        weights = self.weights
        if (
            not isinstance(weights, Weight)
            or type(weights).clip is not Weight.clip
            or None in blocks
        ):
            weights.clip()
            return
        w_max = setting(weights, "max_weight")
        for rows, cols in blocks:
            if rows.size and cols.size:
                ix = np.ix_(rows, cols)
                weights._matrix[ix] = np.clip(weights._matrix[ix], 0.0, float(w_max))

    def _add_block(self, rows, cols, amounts, sign):
        """On live synapses of the rows x cols block (no clip): sign > 0 adds ``amounts[i]``
        along the i-th row; sign < 0 subtracts ``amounts[i]`` down the i-th column."""
        if rows.size == 0 or cols.size == 0:
            return
        weights = self.weights
        ix = np.ix_(rows, cols)
        block = weights._matrix[ix]
        delta = amounts[:, None] if sign > 0 else -amounts[None, :]
        weights._matrix[ix] = np.where(live_mask(weights)[ix], block + delta, block)

    def _hebbian(self, pre_locs, post_locs, dts, inverse=False):
        """One half of a rule application, the original's hook (no clipping).

        ``pre_locs``: columns with credit; ``post_locs``: columns (inputs and body) that
        spiked at the window's last step (both 1-D int arrays); ``dts``: the signed change
        per column. Forward: ``w[j, p] += dts[j]`` for j in ``pre_locs`` and body neurons
        p in ``post_locs``. ``inverse``: ``w[p, q] -= dts[n_inputs + q]`` for p in
        ``post_locs`` and body neurons q in ``pre_locs``. Absent synapses never change.
        Returns the (rows, columns) block it touched. A subclass may redefine it (the
        network then runs its steps in Python, calling it as the original did).
        """
        ni = self._n_inputs
        if inverse:
            body_pre = pre_locs[pre_locs >= ni] - ni
            self._add_block(post_locs, body_pre, dts[ni:][body_pre], -1)
            return post_locs, body_pre
        body_post = post_locs[post_locs >= ni] - ni
        self._add_block(pre_locs, body_post, dts[pre_locs], +1)
        return pre_locs, body_post

    def _through_own_hebbian(self, pre, post, dts, inverse):
        """When a subclass redefines ``_hebbian``: make the original's calls (``_hebbian``
        forward, then ``inverse`` if asked, then ``weights.clip()``) and return True; else
        return False and let the rule write its blocks itself (the same numbers)."""
        if type(self)._hebbian is Synapse._hebbian:
            return False
        post_locs = np.flatnonzero(post)
        self._hebbian(pre, post_locs, dts)
        if inverse:
            self._hebbian(pre, post_locs, dts, inverse=True)
        self._clip_blocks([None])
        return True

    def _apply_stdp(self, spike_log, polarities):
        raise NotImplementedError(f"{type(self).__name__}._apply_stdp is not implemented.")

    def update(self, spike_log: np.ndarray, polarities: np.ndarray) -> None:
        """One network step: apply the rule (when training), then decay the trace."""
        if self.training:
            self._apply_stdp(spike_log, polarities)
        self._decay_trace()


class RLSynapse(Synapse):
    """A rule scaled by reward: ``reward(r)`` adds ``r`` to the trace.

    With ``trace_decay == 1`` (the default) the trace lives for no step, so the rule is
    applied only at ``reward()``, once, over the window of the last network step that
    ``update`` saw. With ``trace_decay < 1`` the rule runs every step with the decaying
    trace. In eval mode ``reward`` changes no weight (the original still applied the
    window saved before ``eval()``).
    """

    def __init__(self, w: Weight, **kwargs: Any):
        super().__init__(w, **kwargs)
        self._stdp_params = None

    def reset(self) -> None:
        """Zero the trace and forget the remembered window."""
        super().reset()
        self._stdp_params = None

    def update(self, spike_log: np.ndarray, polarities: np.ndarray) -> None:
        """One network step: remember the window (``trace_decay == 1``) or apply the rule now."""
        if self.training:
            if self._trace_decay != 1:
                self._apply_stdp(spike_log, polarities)
            else:
                self._stdp_params = (spike_log, polarities)
        self._decay_trace()

    def remember_window(
        self,
        spike_log: np.ndarray,
        polarities: np.ndarray,
        credit_post: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> None:
        """Keep the window that a deferred rule (``trace_decay == 1``) applies at ``reward``.

        ``credit_post``: the window's (credit, post) when already computed (the compiled
        tick computes it)."""
        self._stdp_params = (
            (spike_log, polarities) if credit_post is None else (spike_log, polarities, credit_post)
        )

    def reward(self, rwd: float) -> None:
        """Give the synapses a reward (once per game step, or per network step)."""
        raise NotImplementedError(f"{type(self).__name__}.reward is not implemented.")


def window_credit(spike_log: np.ndarray, stdp_window: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-column credit ``sum_k k * spiked[k]`` of the pre rows of the window.

    The window's rows but the last are the pre rows; row k from the oldest gets weight
    ``k + stdp_window - rows`` (0 for the oldest of a full window). Returns the credit
    (float64, exact integers) and the bool post row (the last one).
    """
    log = spike_log[-stdp_window:]
    rows = log.shape[0]
    k = np.arange(stdp_window - rows, stdp_window - 1, dtype=float)
    credit = k @ log[:-1].astype(float) if rows > 1 else np.zeros(log.shape[1])
    return credit, np.asarray(log[-1], dtype=bool)
