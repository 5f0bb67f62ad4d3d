"""Sparse synapses with integer axonal delays, as a network part for the Izhikevich engine.

The part holds the synapse table; the network hands it to the compiled engine
(:class:`spikey.engine.IzhNetwork`) at every ``reset`` and reads the learned weights back
from there. Synapses leaving body neurons live in the engine. Synapses leaving input
neurons stay here: each input spike becomes a stimulus of ``spike * weight`` mV to the
target in the ms ``delay - 1`` after the spike (the engine's own timing for a body spike),
so input synapses are fixed (not plastic).

Conventions follow Spikey's weight matrix: a presynaptic index is a row (inputs
``0..n_inputs-1``, then body neurons), a postsynaptic index a body neuron. Weights are
magnitudes >= 0; the sign comes from the presynaptic neuron's polarity (the neuron part's
inhibitory neurons give negative currents).
"""

from __future__ import annotations

import numpy as np

from spikey.engine.connectivity import paper_table, storage_order
from spikey.engine.params import (  # the engine's largest axonal delay (ms) and amplitude
    AMPLITUDE_LIMIT,
    MAX_DELAY_LIMIT,
)
from spikey.module import ConfigError, Key, Module, config_error
from spikey.snn._util import check_number, make_rng


class DelayedSparse(Module):
    """Delayed sparse synapses: one (pre, post, weight, delay) entry per synapse.

    ``connections=(pre, post, weight, delay)`` gives the synapses; ``plastic_mask`` marks
    the plastic ones (default: those leaving excitatory body neurons). Plastic synapses
    must leave excitatory body neurons and start in [0, max_weight]. Duplicates are allowed.

    Without ``connections`` the paper's random network is drawn (from the part's
    Generator) when the network is built: each excitatory body neuron gets
    ``syn_per_neuron`` targets among all body neurons, drawn with replacement, weight
    ``exc_weight``, plastic, synapse ``j`` with delay ``1 + j * max_delay // syn_per_neuron``;
    each inhibitory neuron ``syn_per_neuron`` targets among the excitatory ones (any neuron
    when ``inh_to_exc_only`` is False), weight ``inh_weight``, delay ``inh_delay``, fixed;
    each input ``input_syn_per_input`` distinct random body neurons, weight
    ``input_weight``, delay ``input_delay``.

    After :meth:`bind`, ``pre``, ``post``, ``delay``, ``plastic`` are in storage order
    (sorted by pre, delay, then post, stable; ``order[k]`` is the position in ``connections`` of
    stored synapse ``k``) and :attr:`values` / :attr:`matrix` read the current weights.
    """

    NECESSARY_KEYS = [
        Key("n_inputs", "Number of input neurons, separate from the body.", int),
        Key("n_neurons", "Number of neurons in the network body.", int),
        Key("max_weight", "Largest weight of a plastic synapse (mV).", float, default=4.0),
        Key("max_delay", f"Largest axonal delay D (ms, 1..{MAX_DELAY_LIMIT}).", int, default=1),
        Key(
            "connections",
            "(pre, post, weight, delay) arrays; None: the paper's random network.",
            default=None,
        ),
        Key(
            "plastic_mask",
            "bool per connection; None: those leaving excitatory body neurons.",
            default=None,
        ),
        Key(
            "syn_per_neuron", "Random network: outgoing synapses per body neuron.", int, default=100
        ),
        Key(
            "exc_weight",
            "Random network: initial weight of excitatory synapses.",
            float,
            default=1.0,
        ),
        Key(
            "inh_weight",
            "Random network: weight (magnitude) of inhibitory synapses.",
            float,
            default=1.0,
        ),
        Key("inh_delay", "Random network: delay of inhibitory synapses (ms).", int, default=1),
        Key(
            "inh_to_exc_only",
            "Random network: inhibitory neurons target excitatory ones only.",
            bool,
            default=True,
        ),
        Key(
            "allow_self",
            "Random network: a neuron may draw itself as a target.",
            bool,
            default=True,
        ),
        Key("input_syn_per_input", "Random network: body targets of each input.", int, default=1),
        Key(
            "input_weight",
            "Random network: weight of input synapses (mV per unit spike).",
            float,
            default=20.0,
        ),
        Key("input_delay", "Random network: delay of input synapses (ms).", int, default=1),
    ]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.rng = make_rng(kwargs.get("rng"))
        check_number(self, "n_inputs", self._n_inputs, lo=0, integer=True)
        check_number(self, "n_neurons", self._n_neurons, lo=1, integer=True)
        check_number(self, "max_weight", self._max_weight, lo=0, hi=AMPLITUDE_LIMIT)
        check_number(self, "max_delay", self._max_delay, lo=1, hi=MAX_DELAY_LIMIT, integer=True)
        check_number(self, "syn_per_neuron", self._syn_per_neuron, lo=0, integer=True)
        check_number(self, "exc_weight", self._exc_weight, lo=0, hi=self._max_weight)
        check_number(self, "inh_weight", self._inh_weight, lo=0, hi=AMPLITUDE_LIMIT)
        check_number(self, "inh_delay", self._inh_delay, lo=1, hi=self._max_delay, integer=True)
        check_number(
            self,
            "input_syn_per_input",
            self._input_syn_per_input,
            lo=0,
            hi=self._n_neurons,
            integer=True,
        )
        check_number(self, "input_weight", self._input_weight, lo=0, hi=AMPLITUDE_LIMIT)
        check_number(self, "input_delay", self._input_delay, lo=1, hi=self._max_delay, integer=True)
        self._given = None if self._connections is None else self._check_connections()
        self.pre = self.post = self.delay = self.plastic = self.order = None
        self._w = None
        self.n_input_syn = 0
        self.input_offsets = None
        self.polarities = None
        self.engine = None

    # -- validation ----------------------------------------------------------------
    def _check_connections(self):
        conn = self._connections
        if isinstance(conn, dict):
            missing = [k for k in ("pre", "post", "weight", "delay") if k not in conn]
            if missing:
                raise config_error(
                    self,
                    "connections",
                    f"a dict without {missing}",
                    "(pre, post, weight, delay) arrays or a dict with those names",
                )
            conn = (conn["pre"], conn["post"], conn["weight"], conn["delay"])
        if not isinstance(conn, (tuple, list)) or len(conn) != 4:
            raise config_error(
                self,
                "connections",
                conn,
                "a tuple of four arrays (pre, post, weight, delay)",
            )
        n_rows, n = self._n_inputs + self._n_neurons, self._n_neurons
        pre = self._int_array(conn[0], "pre", 0, n_rows - 1, "rows 0..n_inputs + n_neurons - 1")
        post = self._int_array(conn[1], "post", 0, n - 1, "body neurons 0..n_neurons - 1")
        delay = self._int_array(conn[3], "delay", 1, self._max_delay, "ms in 1..max_delay")
        try:
            weight = np.asarray(conn[2], dtype=float)
        except (TypeError, ValueError):
            raise config_error(self, "connections", "non-numeric weights", "weights >= 0") from None
        s = pre.size
        for name, arr in (("post", post), ("weight", weight), ("delay", delay)):
            if arr.shape != (s,):
                raise config_error(
                    self,
                    "connections",
                    f"{name} of shape {arr.shape}",
                    f"four 1-D arrays of one length (pre has {s})",
                )
        bad = ~np.isfinite(weight) | (weight < 0)
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            raise config_error(
                self,
                "connections",
                f"weight {weight[k]} at synapse {k}",
                "finite weights >= 0 (the sign comes from the neuron's polarity)",
            )
        plastic = None
        if self._plastic_mask is not None:
            plastic = np.asarray(self._plastic_mask)
            if plastic.dtype != bool or plastic.shape != (s,):
                raise config_error(
                    self,
                    "plastic_mask",
                    f"a {plastic.dtype} array of shape {plastic.shape}",
                    f"a bool array of shape ({s},)",
                )
            bad = plastic & (pre < self._n_inputs)
            if bad.any():
                raise config_error(
                    self,
                    "plastic_mask",
                    f"True at synapse {int(np.flatnonzero(bad)[0])} from an input",
                    "input synapses fixed (inputs act as stimuli)",
                )
            bad = plastic & (weight > self._max_weight)
            if bad.any():
                k = int(np.flatnonzero(bad)[0])
                raise config_error(
                    self,
                    "connections",
                    f"weight {weight[k]} at plastic synapse {k}",
                    f"plastic weights in [0, max_weight={self._max_weight}]",
                )
        return pre, post, weight, delay, plastic

    def _int_array(self, value, name, lo, hi, what):
        arr = np.asarray(value)
        if arr.ndim != 1 or (
            arr.size
            and not (
                np.issubdtype(arr.dtype, np.integer)
                or (
                    np.issubdtype(arr.dtype, np.floating)
                    and np.all(np.isfinite(arr))
                    and np.all(arr == np.round(arr))
                )
            )
        ):
            raise config_error(
                self,
                "connections",
                f"{name} of dtype {arr.dtype}, shape {arr.shape}",
                f"a 1-D integer array of {what}",
            )
        arr = arr.astype(np.int64)
        out = (arr < lo) | (arr > hi)
        if out.any():
            raise config_error(
                self,
                "connections",
                f"{name} {arr[out][0]} at synapse {int(np.flatnonzero(out)[0])}",
                f"{what} ({lo}..{hi})",
            )
        return arr

    # -- building ------------------------------------------------------------------
    def bind(self, polarities):
        """Fix the table for body polarities ``polarities`` (+1/-1 per body neuron).

        Draws the random network (when no ``connections`` were given), checks the plastic
        synapses and sorts the table into storage order. The network calls this once."""
        pol = np.asarray(polarities, dtype=float)
        if pol.shape != (self._n_neurons,) or not np.all(np.isin(pol, (-1.0, 1.0))):
            raise ConfigError(
                f"{type(self).__name__}: bind() got polarities of shape {pol.shape}; "
                f"expected n_neurons={self._n_neurons} values, each +1 or -1."
            )
        ni = self._n_inputs
        if self._given is None:
            pre, post, weight, delay, plastic = self._random_table(pol)
        else:
            pre, post, weight, delay, plastic = self._given
            body_exc = np.zeros(pre.size, dtype=bool)
            body = pre >= ni
            body_exc[body] = pol[pre[body] - ni] > 0
            if plastic is None:
                plastic = body_exc
                over = plastic & (weight > self._max_weight)
                if over.any():
                    k = int(np.flatnonzero(over)[0])
                    raise config_error(
                        self,
                        "connections",
                        f"weight {weight[k]} at plastic synapse {k}",
                        f"plastic weights in [0, max_weight={self._max_weight}] (synapses "
                        "from excitatory body neurons are plastic unless plastic_mask "
                        "says otherwise)",
                    )
            bad = plastic & ~body_exc
            if bad.any():
                k = int(np.flatnonzero(bad)[0])
                raise config_error(
                    self,
                    "plastic_mask",
                    f"True at synapse {k} from inhibitory body neuron {pre[k] - ni}",
                    "plastic synapses from excitatory neurons only",
                )
        order = storage_order(pre, delay, post)  # the engine's own layout
        self.order = order
        self.pre, self.post, self.delay = pre[order], post[order], delay[order]
        self._w = np.asarray(weight, dtype=float)[order].copy()
        self.plastic = np.asarray(plastic, dtype=bool)[order]
        self.n_input_syn = int(np.searchsorted(self.pre, ni))
        self.input_offsets = np.searchsorted(self.pre[: self.n_input_syn], np.arange(ni + 1))
        self.polarities = pol.copy()
        for name in ("pre", "post", "delay", "plastic", "order"):
            getattr(self, name).flags.writeable = False

    def _random_table(self, pol):
        """The paper's random network (see the class docstring), in draw order.

        Input targets are drawn here; the body's structure comes from the engine's
        :func:`~spikey.engine.connectivity.paper_table`, the one implementation of the
        author's draw (targets, delays, order)."""
        rng, ni, n = self.rng, self._n_inputs, self._n_neurons
        m = self._syn_per_neuron
        exc, inh = np.flatnonzero(pol > 0), np.flatnonzero(pol < 0)
        k = self._input_syn_per_input
        in_post = (
            np.concatenate([rng.choice(n, size=k, replace=False) for _ in range(ni)])
            if ni and k
            else np.zeros(0, dtype=np.int64)
        )
        if inh.size and m and not exc.size and self._inh_to_exc_only:
            raise config_error(
                self, "inh_to_exc_only", True, "False when the body has no excitatory neuron"
            )
        if not self._allow_self and m and n < 2:
            raise config_error(self, "allow_self", False, "True: a lone neuron has no other target")
        body_pre, body_post, body_delay, body_exc = paper_table(
            rng,
            exc,
            inh,
            m,
            self._max_delay,
            self._inh_delay,
            allow_self=self._allow_self,
            inh_to_exc_only=self._inh_to_exc_only,
            owner=type(self).__name__,
        )
        pre = np.concatenate([np.repeat(np.arange(ni), k), ni + body_pre])
        post = np.concatenate([in_post, body_post])
        delay = np.concatenate([np.full(ni * k, self._input_delay), body_delay])
        weight = np.concatenate(
            [
                np.full(ni * k, float(self._input_weight)),
                np.where(body_exc, float(self._exc_weight), float(self._inh_weight)),
            ]
        )
        plastic = np.concatenate([np.zeros(ni * k, bool), body_exc])
        return (
            pre.astype(np.int64),
            post.astype(np.int64),
            weight,
            delay.astype(np.int64),
            plastic,
        )

    # -- the body part as the engine wants it ----------------------------------------
    def body_arrays(self):
        """(pre, post, signed weight, delay, plastic) of the synapses leaving body neurons,
        neuron indices 0..n_neurons-1, in storage order."""
        self._need_bound()
        s = slice(self.n_input_syn, None)
        pre = self.pre[s] - self._n_inputs
        return pre, self.post[s], self._w[s] * self.polarities[pre], self.delay[s], self.plastic[s]

    def input_values(self, idx) -> np.ndarray:
        """Weights (magnitudes) of stored input synapses ``idx`` (all < ``n_input_syn``)."""
        self._need_bound()
        return self._w[idx]

    def sync(self):
        """Copy the engine's current weights into the part (the network does this at reset)."""
        if self.engine is not None:
            self._w[self.n_input_syn :] = self._engine_values()

    def _engine_values(self):
        pre = self.pre[self.n_input_syn :] - self._n_inputs
        return self.engine.weights() * self.polarities[pre]

    def _need_bound(self):
        if self._w is None:
            raise ConfigError(
                f"{type(self).__name__}: the synapse table is built when the network "
                "is (it needs the neurons' polarities); call bind(polarities) first."
            )

    # -- reading and writing weights --------------------------------------------------
    @property
    def values(self) -> np.ndarray:
        """Current weight of every synapse (magnitudes, storage order; a copy)."""
        self._need_bound()
        out = self._w.copy()
        if self.engine is not None:
            out[self.n_input_syn :] = self._engine_values()
        return out

    def set_values(self, idx, values):
        """Set the weights of stored synapses ``idx`` (magnitudes; plastic ones in [0, max_weight])."""
        self._need_bound()
        idx = np.atleast_1d(np.asarray(idx))
        s = self.pre.size
        if idx.ndim != 1 or (
            idx.size
            and (not np.issubdtype(idx.dtype, np.integer) or idx.min() < 0 or idx.max() >= s)
        ):
            raise config_error(self, "set_values idx", idx, f"synapse indices in 0..{s - 1}")
        vals = np.broadcast_to(np.asarray(values, dtype=float), idx.shape).copy()
        hi = np.where(self.plastic[idx], self._max_weight, np.inf)
        bad = ~np.isfinite(vals) | (vals < 0) | (vals > hi)
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            raise config_error(
                self,
                "set_values values",
                float(vals[k]),
                f"a weight >= 0 (<= max_weight={self._max_weight} if plastic) "
                f"for synapse {int(idx[k])}",
            )
        self._w[idx] = vals
        body = idx >= self.n_input_syn
        if self.engine is not None and body.any():
            bi = idx[body] - self.n_input_syn
            pol = self.polarities[self.pre[idx[body]] - self._n_inputs]
            self.engine.set_weights(bi, vals[body] * pol)

    @property
    def matrix(self) -> np.ndarray:
        """Dense (n_inputs + n_neurons, n_neurons) weights, duplicates summed (a copy)."""
        m = np.zeros((self._n_inputs + self._n_neurons, self._n_neurons))
        np.add.at(m, (self.pre, self.post), self.values)
        return m

    def __len__(self):
        return 0 if self.pre is None else int(self.pre.size)

    def reset(self):
        """Weights stay over episodes (the network rebuilds the engine from them)."""


__all__ = ["DelayedSparse", "MAX_DELAY_LIMIT"]
