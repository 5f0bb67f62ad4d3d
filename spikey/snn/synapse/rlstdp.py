"""Reward-modulated STDP rules: RLSTDP (potentiation and depression) and LTP."""

from __future__ import annotations

import numpy as np

from spikey.snn.fastpath import FastPart
from spikey.snn.synapse.template import RLSynapse, window_credit


class RLSTDP(RLSynapse):
    """Reward-modulated STDP.

    Credit of a presynaptic column j over the window: ``c_j = sum_k k * spiked[k, j]``
    (recent pre spikes count more; see :func:`window_credit`), times its polarity and
    ``learning_rate * trace / (stdp_window - 2)``. For every body neuron p that spiked
    at the window's last step: ``w[j, p] += d_j`` (pre before post). For every neuron
    p (input or body) that spiked at the last step and every body neuron q with
    credit: ``w[p, q] -= d_q`` (post before pre). Then weights are clipped to
    [0, max_weight]. Absent synapses never change. With ``stdp_window`` 1 or 2 every
    credit is 0, so no weight changes.
    """

    MIN_WINDOW = 1

    def _scale(self):
        if self._stdp_window <= 2:
            # the only pre row of such a window is its oldest, whose credit is 0: nothing
            # changes (the original divided 0 by 0 here and wrote NaN into the weights)
            return 0.0
        return self._learning_rate * self.trace / (self._stdp_window - 2)

    def _credit(self, spike_log, polarities, credit_post):
        """(signed per-column change d, columns with credit, post-spike mask), or None if nothing changes."""
        spike_log = np.asarray(spike_log)
        mult = self._scale() if spike_log.size else 0
        if mult == 0:
            return None
        credit, post = credit_post or window_credit(spike_log, self._stdp_window)
        return credit * polarities * mult, np.flatnonzero(credit), post

    def _apply_stdp(self, spike_log, polarities, credit_post=None):
        found = self._credit(spike_log, polarities, credit_post)
        if found is None:
            return
        d, pre, post = found
        if self._through_own_hebbian(pre, post, d, inverse=True):
            return
        ni = self._n_inputs
        post_all = np.flatnonzero(post)
        post_body = post_all[post_all >= ni] - ni
        self._add_block(pre, post_body, d[pre], +1)
        pre_body = pre[pre >= ni]
        self._add_block(post_all, pre_body - ni, d[pre_body], -1)
        self._clip_blocks([(pre, post_body), (post_all, pre_body - ni)])

    def fast_path(self) -> FastPart:
        """The compiled tick reproduces RLSTDP (the ``FastPath`` protocol).

        Returns
        -------
        FastPart
            Role ``synapses``, base ``RLSTDP``, kernel kind ``RLSTDP`` (2).
        """
        return FastPart("synapses", RLSTDP, 2)

    def reward(self, rwd: float) -> None:
        """Add ``rwd`` to the trace; with ``trace_decay == 1`` apply the remembered window now."""
        self.trace += rwd
        if self._trace_decay == 1 and self.training and self._stdp_params is not None:
            self._apply_stdp(*self._stdp_params)


class LTP(RLSTDP):
    """Potentiation-only reward-modulated STDP: ``w[j, p] += c_j * pol_j *
    learning_rate / stdp_window * trace`` for body neurons p spiking at the window's
    last step (see :class:`RLSTDP` for the credit ``c_j``); no depression."""

    MIN_WINDOW = 1

    def fast_path(self) -> FastPart:
        """The compiled tick reproduces LTP (the ``FastPath`` protocol).

        Returns
        -------
        FastPart
            Role ``synapses``, base ``LTP``, kernel kind ``LTP`` (1).
        """
        return FastPart("synapses", LTP, 1)

    def _scale(self):
        return self._learning_rate / self._stdp_window * self.trace

    def _apply_stdp(self, spike_log, polarities, credit_post=None):
        found = self._credit(spike_log, polarities, credit_post)
        if found is None:
            return
        d, pre, post = found
        if self._through_own_hebbian(pre, post, d, inverse=False):
            return
        post_body = np.flatnonzero(post[self._n_inputs :])
        self._add_block(pre, post_body, d[pre], +1)
        self._clip_blocks([(pre, post_body)])
