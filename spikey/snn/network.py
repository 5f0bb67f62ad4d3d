"""Networks: the container that runs the parts, one game step (``tick``) at a time.

Parameters
----------
Values for every part's keys come from three places; the higher one wins:

1. keyword arguments of the constructor,
2. the class-level ``keys`` dict of a network template (never modified),
3. ``game.params`` when built with ``game=``.

Parts come from the class-level ``parts`` dict, overridden by keyword arguments of
the same name (``inputs``, ``neurons``, ``weights``, ``synapses``, ``readout``,
``rewarder``, ``modifiers``).

Randomness
----------
The key ``seed`` (int, list of ints, SeedSequence, Generator or None) seeds the
network. Without it the network draws its seed from the global legacy ``np.random``
state when it is built, so ``np.random.seed(s)`` before building makes a run
reproducible, as in the original Spikey. Each stochastic built-in part (input spike
draws, random firing and noise, TopAction ties, Random weights) then draws from its
own Generator, a child of that seed fixed by the part's role, so the same seed gives
the same result on both tick paths. User code may keep using ``np.random`` freely.

Fast path
---------
When the input, neuron, synapse and weight parts implement the ``FastPath`` protocol
(:mod:`spikey.snn.fastpath`: the built-in classes, and subclasses that redefine none of
the methods a tick reaches), ``tick`` runs all ``processing_time`` steps in one compiled
call (:mod:`spikey.engine.lif`); otherwise it calls the parts step by step in Python. Both
give identical spikes and weights. The readout, rewarder and modifiers run in Python
either way. ``Network.python_path_reasons()`` says why a network takes the Python path.

``fast_path=False`` has one meaning for every network: run no compiled code, only the
tick's plain Python/NumPy reference, with the same spikes, slower. For the LIF parts that
is the step-by-step loop over the parts' methods; for the Izhikevich parts it is the
engine's NumPy reference (``IzhNetwork(engine="reference")``).

Copies
------
``network.copy()`` is the original Spikey's: a fresh network built again from the parts'
classes and the keys. ``network.clone()`` (``copy.deepcopy``) keeps the trained state.

With the Izhikevich parts (``neuron.Izhikevich``, ``weight.DelayedSparse``,
``synapse.DASTDP``, used together) a tick is one call of the compiled Izhikevich engine
and ``reward`` queues a dopamine pulse for the next tick; see :mod:`spikey.snn.izh_driver`.
"""

from __future__ import annotations

import pickle
from copy import deepcopy
from typing import Any

import numpy as np

from spikey.engine import lif
from spikey.module import ConfigError, Key, Module, check_memory
from spikey.snn._util import check_number, check_reward, seed_sequence, setting
from spikey.snn.fastpath import ROLES, redefined_tick_methods, stand_in
from spikey.snn.neuron.template import REFRACTORY_MV
from spikey.snn.weight.template import Weight, live_mask

#: modules of the parts that configure the compiled Izhikevich engine (snn.izh_driver)
_ENGINE_PART_MODULES = frozenset(
    ("spikey.snn.neuron.izhikevich", "spikey.snn.weight.delayed", "spikey.snn.synapse.da_stdp")
)

#: fixed child index of each part's Generator under the network seed
PART_STREAM = {
    "inputs": 0,
    "neurons": 1,
    "weights": 2,
    "synapses": 3,
    "readout": 4,
    "rewarder": 5,
    "modifiers": 6,
}

__all__ = ["ActiveRLNetwork", "Network", "RLNetwork", "redefined_tick_methods"]


def _transmit(weights: Any, spikes: np.ndarray) -> np.ndarray:
    """One step's incoming current, as the original computed it: ``sum over rows of
    weights * spikes[:, None]``. A weight whose ``__mul__`` is the built-in one (or that
    has none: the original's notebooks' objects with only ``_matrix``, ``matrix`` and
    ``clip``) is read through ``matrix`` in the compiled tick's summation order; any other
    ``__mul__`` (a user's own transmission) is called."""
    from spikey.engine.lif.reference import propagate

    mul = getattr(type(weights), "__mul__", None)
    if mul is None or mul is Weight.__mul__:
        return propagate(weights.matrix, spikes)
    return np.sum(weights * spikes.reshape((-1, 1)), axis=0)


#: attributes a network fills while it runs (caches, logs, the engine driver): a fresh
#: copy (``Network.copy``) starts without them
_RUN_STATE = frozenset(
    {
        "internal_time", "_spike_log", "_normalized_spike_log", "_fast_cache", "_state_cache",
        "_polarities", "_polarity_src", "_scratch", "_izh",
        "_seed_seq",
    }
)  # fmt: skip


def _restore(payload):
    cls, state = pickle.loads(payload)
    net = cls.__new__(cls)
    net.__dict__.update(state)
    return net


class Network(Module):
    """A spiking network: inputs -> body neurons (the last ``n_outputs`` are outputs).

    Examples
    --------
    >>> class Template(Network):                                     # doctest: +SKIP
    ...     parts = {"inputs": input.RateMap, "neurons": neuron.Neuron, ...}
    ...     keys = {"n_inputs": 10, "n_neurons": 20, ...}
    >>> net = Template(n_neurons=30)  # keyword beats Template.keys  # doctest: +SKIP
    >>> action = net.tick(state)                                     # doctest: +SKIP
    """

    NECESSARY_KEYS = [
        Key("n_inputs", "Number of input neurons, separate from the body.", int),
        Key("n_outputs", "Number of output neurons: the last n_outputs body neurons.", int),
        Key("n_neurons", "Number of neurons in the network body.", int),
        Key("processing_time", "Network steps per game step (tick).", int),
        Key(
            "seed",
            "int/SeedSequence/Generator seeding the parts; None: from np.random.",
            default=None,
        ),
        Key(
            "fast_path",
            "Run compiled code when the parts allow; False: only the NumPy reference path.",
            bool,
            default=True,
        ),
    ]
    #: driver of the compiled Izhikevich engine when its parts are used (set at construction)
    _izh = None

    NECESSARY_PARTS = [
        Key("inputs", "snn.input.Input"),
        Key("neurons", "snn.neuron.Neuron"),
        Key("weights", "snn.weight.Weight"),
        Key("synapses", "snn.synapse.Synapse"),
        Key("readout", "snn.readout.Readout"),
        Key("modifiers", "list of snn.modifier.Modifier", default=None),
    ]

    def __init__(self, game: Any = None, **kwargs: Any):
        names = [k.name for k in self.NECESSARY_PARTS]
        self.parts = dict(getattr(type(self), "parts", None) or {})
        self._given_parts = {}  # parts given as keyword arguments: `params` lists them
        for name in names:
            if name in kwargs:
                self.parts[name] = self._given_parts[name] = kwargs.pop(name)
        params = {}
        if game is not None:
            if isinstance(game, type) or not hasattr(game, "params"):
                raise ConfigError(
                    f"{type(self).__name__}: 'game' got {game!r:.60} ("
                    + ("a class" if isinstance(game, type) else "no .params")
                    + "); expected a spikey game instance, e.g. Logic() rather than Logic "
                    "(or leave it out)."
                )
            params.update(deepcopy(dict(game.params)))
        params.update(getattr(self, "keys", None) or {})
        params.update(kwargs)
        for name in names:
            params.pop(name, None)
        self._params = params
        super().__init__(**params)
        check_number(self, "n_inputs", self._n_inputs, lo=0, integer=True)
        check_number(self, "n_neurons", self._n_neurons, lo=1, integer=True)
        check_number(self, "n_outputs", self._n_outputs, lo=0, hi=self._n_neurons, integer=True)
        check_number(self, "processing_time", self._processing_time, lo=1, integer=True)
        n_all = self._n_inputs + self._n_neurons
        check_memory(
            self, "processing_time", self._processing_time, 3 * self._processing_time * n_all
        )
        self._seed_seq = seed_sequence(self._seed, self)
        self._init_parts()
        self._izh = self._attach_engine()  # None unless the Izhikevich engine parts are used
        self.internal_time = 0
        self._spike_log = None
        self._normalized_spike_log = None
        self._fast_cache = None

    # -- construction ---------------------------------------------------------------
    def _attach_engine(self):
        """The Izhikevich engine's driver when a part comes from its modules, else None
        (the check imports nothing: networks of the other parts never load numba)."""
        for key in self.NECESSARY_PARTS:
            value = getattr(self, key.name, None)
            for part in value if isinstance(value, list) else [value]:
                if any(c.__module__ in _ENGINE_PART_MODULES for c in type(part).__mro__):
                    from spikey.snn import izh_driver  # lazy: the engine driver loads numba

                    return izh_driver.attach(self)
        return None

    def _part_rng(self, name):
        ss = self._seed_seq
        child = np.random.SeedSequence(
            ss.entropy, spawn_key=tuple(ss.spawn_key) + (PART_STREAM.get(name, 7),)
        )
        return np.random.Generator(np.random.PCG64(child))

    def _init_parts(self):
        params = {k: v for k, v in self._params.items() if k != "rng"}
        for key in self.NECESSARY_PARTS:
            name = key.name
            part = self.parts.get(name, key.default if key.has_default else None)
            if name == "modifiers":
                if part is not None and not isinstance(part, (list, tuple)):
                    part = [part]
                for m in part or []:
                    if not callable(getattr(m, "update", None)):
                        raise ConfigError(
                            f"{type(self).__name__}: part 'modifiers' got {m!r}; expected "
                            "a list of snn.modifier.Modifier instances."
                        )
                value = None if part is None else [deepcopy(m) for m in part]
            elif part is None:
                raise ConfigError(
                    f"{type(self).__name__}: no part given for '{name}'; expected a "
                    f"class such as {key.description} in `parts` or as {name}=..."
                )
            elif not isinstance(part, type):
                raise ConfigError(
                    f"{type(self).__name__}: part '{name}' got an instance of "
                    f"{type(part).__name__}; expected the class itself "
                    f"(the network builds it from the keys)."
                )
            elif part.__module__ == "builtins":
                raise ConfigError(
                    f"{type(self).__name__}: part '{name}' got {part!r}; expected a "
                    f"spikey part class such as {key.description}."
                )
            elif name == "synapses":
                value = part(self.weights, **params, rng=self._part_rng(name))
            else:
                value = part(**params, rng=self._part_rng(name))
            setattr(self, name, value)
        if hasattr(self, "synapses") and hasattr(self, "weights"):
            self.synapses.weights = self.weights

    # -- keys and modes ---------------------------------------------------------------
    @property
    def params(self) -> dict:
        """A copy of the resolved configuration: the game's params, the template's keys,
        the keyword arguments, and (as in the original) the parts given as keyword
        arguments, so that ``type(net)(**net.params)`` builds the same network."""
        return deepcopy({**self._params, **getattr(self, "_given_parts", {})})

    @classmethod
    def list_keys(cls, **parts: type) -> None:
        """Print the keys of the network and of the given part classes (name=class)."""
        keys = list(cls.keys_of())
        for name, part in parts.items():
            if hasattr(part, "keys_of"):
                keys.extend(k for k in part.keys_of() if k not in keys)
            elif not hasattr(part, "NECESSARY_KEYS"):  # 5 or "Neuron" printed nothing of it
                raise ConfigError(
                    f"{cls.__name__}.list_keys: part '{name}' got {part!r:.60}; expected a part "
                    "class, e.g. neurons=snn.neuron.Neuron."
                )
        print("{")
        for key in keys:
            print(f"\t{key},")
        print("}")

    def _each_part(self):
        for key in self.NECESSARY_PARTS:
            part = getattr(self, key.name, None)
            for p in part if isinstance(part, list) else [part]:
                if p is not None:
                    yield p

    def train(self) -> None:
        """Enable learning in every part."""
        self.training = True
        for p in self._each_part():
            if hasattr(p, "train"):
                p.train()

    def eval(self) -> None:
        """Disable learning in every part."""
        self.training = False
        for p in self._each_part():
            if hasattr(p, "eval"):
                p.eval()

    # -- state ------------------------------------------------------------------------
    @property
    def spike_log(self) -> np.ndarray:
        """Spikes of the last ``processing_time`` steps: rows are steps (last = newest),
        columns inputs then body neurons; values are signed spike magnitudes."""
        if self._spike_log is None:
            return None
        return self._spike_log[-self._processing_time :]

    def reset(self) -> None:
        """Start an episode: reset every part and clear the spike history (weights stay)."""
        self.internal_time = 0
        for p in self._each_part():
            if hasattr(p, "reset"):
                p.reset()
        if self._izh is not None:
            self._izh.reset(self)
            self._spike_log = np.zeros((self._processing_time, self._n_inputs + self._n_neurons))
            return
        window = setting(self.synapses, "stdp_window")
        self._spike_log = np.zeros(
            (window + self._processing_time, self._n_inputs + self._n_neurons)
        )
        self._refresh_polarities()

    def _refresh_polarities(self):
        """Join input and body polarities (at reset, or when a part's array is replaced;
        change polarities in place between episodes, not within one)."""
        pol_in, pol_body = self.inputs.polarities, self.neurons.polarities
        try:
            joined = np.concatenate(
                (np.asarray(pol_in, dtype=float).ravel(), np.asarray(pol_body, dtype=float).ravel())
            )
        except (TypeError, ValueError):
            if isinstance(self.synapses, Module):
                raise ConfigError(
                    f"{type(self).__name__}: the polarities of the inputs "
                    f"({type(pol_in).__name__}) and neurons ({type(pol_body).__name__}) are "
                    f"not arrays of numbers; expected +1/-1 per input and per body neuron."
                ) from None
            # a user's synapses get whatever the parts hold, as the original passed them
            joined = np.append(pol_in, pol_body)
        self._polarities = joined
        self._polarity_src = (pol_in, pol_body)

    # -- running ----------------------------------------------------------------------
    def _process_step(self, i, state):
        """One network step on the Python path: the original's calls, in its order."""
        self.internal_time += 1
        window = setting(self.synapses, "stdp_window")
        spikes = np.concatenate(
            (
                self._part_spikes("inputs", self.inputs(), self._n_inputs),
                self._part_spikes("neurons", self.neurons(), self._n_neurons),
            )
        )
        self._spike_log[window + i] = spikes
        self._normalized_spike_log[window + i] = spikes != 0
        self.neurons += _transmit(self.synapses.weights, spikes)
        self.synapses.update(self._normalized_spike_log[i : i + window], self._polarities)

    def _part_spikes(self, role: str, out, size: int) -> np.ndarray:
        """A part's spikes of this step as ``size`` finite floats, or a ConfigError naming
        the part (a user part of another size, or None, would fail inside numpy)."""
        try:
            arr = np.asarray(out, dtype=float).ravel()
        except (TypeError, ValueError):
            arr = None
        if arr is None or arr.size != size or not np.isfinite(arr).all():
            if arr is None or out is None:
                shown = f"{out!r:.40}"
            else:
                shown = f"{arr.size} values" if arr.size != size else "a NaN or inf"
            raise ConfigError(
                f"{type(self).__name__}: part '{role}' ({type(getattr(self, role)).__name__}) "
                f"returned {shown} for a step; expected {size} finite spike values "
                f"(n_{role}={size})."
            )
        return arr

    def _fast_kinds(self):
        """(neuron_kind, synapse_kind) when the compiled tick applies, else None."""
        key = (type(self),) + tuple(type(getattr(self, role)) for role in ROLES)
        if self._fast_cache is not None and self._fast_cache[0] == key:
            return self._fast_cache[1]
        kinds = None
        if type(self)._process_step in _FAST_PROCESS_STEPS:
            specs = [stand_in(getattr(self, role), role)[0] for role in ROLES]
            if None not in specs:
                found = dict(zip(ROLES, specs))
                kinds = (found["neurons"].kind, found["synapses"].kind)
        self._fast_cache = (key, kinds)
        return kinds

    def python_path_reasons(self) -> list[str]:
        """Why ``tick`` does not run the compiled kernel; empty when it does.

        Each reason names the part (``"weights: ZeroMul redefines __mul__ of Weight"``,
        see :mod:`spikey.snn.fastpath`), the network class (a ``_process_step`` of its
        own) or the key ``fast_path=False``. A network of the Izhikevich engine's parts
        always runs its engine; the only reason it runs the NumPy reference is the key.

        Returns
        -------
        list of str
            One line per reason.
        """
        reasons = [] if self._fast_path else ["the key fast_path is False"]
        if self._izh is not None:
            return reasons
        if type(self)._process_step not in _FAST_PROCESS_STEPS:
            reasons.append(f"{type(self).__name__} defines its own _process_step")
        if self.synapses.weights is not self.weights:
            reasons.append("synapses.weights is not the network's weights part")
        for role in ROLES:
            reason = stand_in(getattr(self, role), role)[1]
            if reason is not None:
                reasons.append(f"{role}: {reason}")
        return reasons

    def _prepare_tick(self):
        """Shift the last stdp_window steps to the log's top; refresh polarities if replaced
        (``tick`` has already reset a network that never ran)."""
        window = setting(self.synapses, "stdp_window")
        n_all = self._n_inputs + self._n_neurons
        if self._spike_log.shape != (window + self._processing_time, n_all):
            raise ConfigError(
                f"{type(self).__name__}: the spike log has shape {self._spike_log.shape} but "
                f"stdp_window + processing_time = {window + self._processing_time} rows of "
                f"n_inputs + n_neurons = {n_all} columns are needed; call reset() after "
                f"changing processing_time or stdp_window."
            )
        self._spike_log[:window] = self._spike_log[-window:]
        pol_in, pol_body = self.inputs.polarities, self.neurons.polarities
        src = getattr(self, "_polarity_src", None)
        if src is None or src[0] is not pol_in or src[1] is not pol_body:
            self._refresh_polarities()

    def tick(self, state: Any) -> Any:
        """Run ``processing_time`` network steps on ``state``; return the readout's action."""
        if self._spike_log is None:
            self.reset()
        self.inputs.update(state)
        for modifier in self.modifiers or []:
            modifier.update(self)
        if self._izh is not None:
            self._spike_log = self._izh.tick(self)
        else:
            self._run_steps(state)
        n_all = self._n_inputs + self._n_neurons
        outputs = self._spike_log[-self._processing_time :, n_all - self._n_outputs :]
        return self.readout(outputs)

    def _run_steps(self, state):
        """The tick's ``processing_time`` steps: compiled or the Python loop."""
        self._prepare_tick()
        fast = self._fast_path and self.synapses.weights is self.weights
        kinds = self._fast_kinds() if fast else None
        if kinds is not None:
            self._tick_fast(*kinds, after_step=self._after_step(state))
        else:
            self._normalized_spike_log = self._spike_log != 0
            for i in range(self._processing_time):
                self._process_step(i, state)

    def _after_step(self, state):
        """What to call (with the step index) after every network step of a compiled tick,
        where ``_process_step`` calls Python code; None when nothing."""
        return None

    def _tick_params(self, neuron_kind, synapse_kind):
        """The kernel's settings for this tick (:class:`spikey.engine.lif.TickParams`)."""
        neu, syn = self.neurons, self.synapses
        ns, ss = neu.settings, syn.settings
        deferred = ss.trace_decay == 1
        params = lif.TickParams(
            threshold=ns.firing_threshold,
            keep=1.0 - ns.potential_decay,
            resting_mv=ns.resting_mv,
            magnitude=ns.magnitude,
            refractory_mv=REFRACTORY_MV,
            neuron_kind=neuron_kind,
            refractory_period=ns.refractory_period,
            spike_delay=ns.spike_delay,
            synapse_kind=synapse_kind if (syn.training and not deferred) else 0,
            learning_rate=ss.learning_rate,
            trace=syn.trace,
            trace_decay=ss.trace_decay,
            max_weight=self.weights.settings.max_weight,
            want_credit=syn.training and deferred,
        )
        values = np.array(params, dtype=float)
        if not np.isfinite(values).all():
            bad = [name for name, v in zip(params._fields, values) if not np.isfinite(v)]
            raise ConfigError(f"{type(self).__name__}: parameter(s) {bad} are not finite.")
        return params

    def _tick_fast(self, neuron_kind, synapse_kind, after_step=None):
        """The tick on the compiled kernel: one call for all steps, or, with ``after_step``,
        one call per step followed by ``after_step(i)`` (user code between steps sees the
        same spike log, potentials, weights and trace as on the Python path)."""
        steps, window = self._processing_time, self.synapses.settings.stdp_window
        in_vals, in_cols = self.inputs.tick_block(steps)
        rand_fire, noise = self.neurons.tick_draws(steps)
        inputs = lif.TickInput(
            np.ascontiguousarray(in_vals, dtype=float),
            np.ascontiguousarray(in_cols, dtype=np.int64),
            rand_fire,
            noise,
        )
        neurons, synapses = self._checked_state(inputs)
        params = self._tick_params(neuron_kind, synapse_kind)
        scratch, syn = self._scratch, self.synapses
        packed = params.packed()
        if after_step is None:
            syn.trace = lif.run(inputs, neurons, synapses, packed, scratch)
            self.internal_time += steps
            if params.want_credit:
                self._remember_window(steps - 1, window, scratch.credit_out)
            return
        call = lif.step_by_step(inputs, neurons, synapses, packed, scratch)
        for i in range(steps):
            syn.trace = call(i, syn.trace)
            self.internal_time += 1
            if params.want_credit:
                self._remember_window(i, window, scratch.credit_out)
            after_step(i)

    def _remember_window(self, first_row, window, credit):
        """Hand the deferred rule the window that ends at log row ``first_row + window - 1``
        (spike values, a view valid until the next tick) with the kernel's credit."""
        log = self._spike_log
        post = log[first_row + window - 1] != 0
        self.synapses.remember_window(
            log[first_row : first_row + window], self._polarities, (credit.copy(), post)
        )

    def _checked_state(self, inputs):
        """The neurons' and synapses' arrays the kernel mutates
        (:class:`spikey.engine.lif.NeuronState`, :class:`spikey.engine.lif.SynapseState`),
        checked for shape, dtype and order.

        Checks are redone whenever an array object or a size changed since the last tick
        (the cache holds the arrays, so their ids cannot be reused)."""
        neu, w = self.neurons, self.weights
        ni, n, steps = self._n_inputs, self._n_neurons, self._processing_time
        delay, window = setting(neu, "spike_delay"), setting(self.synapses, "stdp_window")
        n_all = ni + n
        in_vals, in_cols, rand_fire, noise = inputs
        if in_vals.shape != (steps, in_cols.shape[0]) or (
            in_cols.size and (in_cols.min() < 0 or in_cols.max() >= ni)
        ):
            raise ConfigError(
                f"{type(self).__name__}: the inputs gave spikes of shape "
                f"{in_vals.shape} for columns {in_cols[:10]}...; expected "
                f"({steps}, k) for k columns in 0..{ni - 1}."
            )
        for label, arr in (("random firing", rand_fire), ("noise", noise)):
            if (
                arr.ndim != 2
                or arr.shape[0] not in (0, steps)
                or arr.shape[1] != n
                or not arr.flags.c_contiguous
            ):
                raise ConfigError(
                    f"{type(self).__name__}: the neurons' {label} block has shape "
                    f"{arr.shape}; expected (0 or {steps}, {n})."
                )

        def current():
            neurons = lif.NeuronState(neu.potentials, neu.refractory_timers, neu.schedule)
            synapses = lif.SynapseState(self._polarities, w.matrix, live_mask(w), self._spike_log)
            key = (steps, delay, window) + tuple(map(id, neurons + synapses))
            return key, (neurons, synapses)

        key, arrays = current()
        cache = getattr(self, "_state_cache", None)
        if cache is not None and cache[0] == key and self._polarities.shape == (n_all,):
            return arrays
        neu.potentials = np.ascontiguousarray(neu.potentials, dtype=float)
        neu.refractory_timers = np.ascontiguousarray(neu.refractory_timers, dtype=np.int64)
        neu.schedule = np.ascontiguousarray(neu.schedule, dtype=float)
        matrix, live = w.kernel_arrays()
        checks = [
            ("neurons.potentials", neu.potentials.shape, (n,)),
            ("neurons.refractory_timers", neu.refractory_timers.shape, (n,)),
            ("neurons.schedule", neu.schedule.shape, (delay + 1, n)),
            ("weights.matrix", matrix.shape, (n_all, n)),
            ("weights.live", live.shape, (n_all, n)),
            ("polarities", self._polarities.shape, (n_all,)),
        ]
        for label, got, expected in checks:
            if got != expected:
                raise ConfigError(
                    f"{type(self).__name__}: {label} has shape {got}; expected "
                    f"{expected}. Call reset() after changing sizes or spike_delay."
                )
        if not np.all(np.isfinite(matrix)):
            raise ConfigError(f"{type(self).__name__}: the weight matrix holds NaN or inf.")
        key, arrays = current()  # the converted arrays
        self._state_cache = (key, arrays)
        self._scratch = lif.Scratch.zeros(ni, n)
        return arrays

    # -- copying and pickling ---------------------------------------------------------
    def copy(self) -> Network:
        """A fresh network of the same class, parts and keys, as the original's ``copy``.

        Every part is built again from its class and the resolved keys, so the copy has
        the untrained weights the keys give (a ``Manual`` matrix as given; ``Random``
        weights drawn anew) and neither shares nor inherits any state: no learning, no
        spike log, ``internal_time`` 0, its own generators. With a ``seed`` key it is the
        network that ``seed`` built; without one (seed from ``np.random``) it takes a new
        seed from ``np.random``, as building it again would. Other attributes (a
        subclass's own) are deep-copied, pointing at the new parts where they pointed at
        the old ones. The train/eval mode carries over. For a copy that keeps what was
        learned, use :meth:`clone` (or ``copy.deepcopy``).

        Returns
        -------
        Network
            The new network.
        """
        cls = type(self)
        new = cls.__new__(cls)
        memo = {id(self): new}
        state = self.__dict__
        part_names = [key.name for key in self.NECESSARY_PARTS]
        for name in ("_params", "parts") + tuple(k.name for k in self.keys_of()):
            attr = name if name in ("_params", "parts") else f"_{name}"
            if attr in state:
                new.__dict__[attr] = deepcopy(state[attr], memo)
        new._seed_seq = seed_sequence(new.__dict__.get("_seed"), new)
        new._init_parts()
        for name in part_names:  # references to an old part now mean the new one
            old, fresh = state.get(name), getattr(new, name, None)
            if old is not None:
                memo[id(old)] = fresh
            if isinstance(old, list) and isinstance(fresh, list):
                memo.update({id(o): f for o, f in zip(old, fresh)})
        for name, value in state.items():
            if name not in new.__dict__ and name not in _RUN_STATE and name not in part_names:
                new.__dict__[name] = deepcopy(value, memo)
        new._izh = new._attach_engine()
        new.internal_time = 0
        new._spike_log = new._normalized_spike_log = new._fast_cache = None
        if not self.training:
            new.eval()
        return new

    def clone(self) -> Network:
        """An independent copy of this network as it is now: trained weights, potentials,
        trace, spike log, generator states (``copy.deepcopy(network)``). Both continue
        identically from here. Compare :meth:`copy`, which builds a fresh network.

        Returns
        -------
        Network
            The copy.
        """
        return deepcopy(self)

    def __deepcopy__(self, memo):
        new = type(self).__new__(type(self))
        memo[id(self)] = new
        for k, v in self.__dict__.items():
            setattr(new, k, deepcopy(v, memo))
        return new

    def __copy__(self):
        new = type(self).__new__(type(self))
        new.__dict__.update(self.__dict__)
        return new

    def __reduce_ex__(self, protocol):
        """Pickle class and state; when they hold lambdas, local functions or local
        classes, they go by value through cloudpickle if it is installed, otherwise a
        PicklingError names the offending keys."""
        content = (type(self), self.__dict__.copy())
        try:
            payload = pickle.dumps(content, protocol=protocol)
        except (pickle.PicklingError, AttributeError, TypeError) as err:
            try:
                import cloudpickle
            except ImportError:
                bad = [k for k, v in self._params.items() if not _picklable(v)]
                what = f"key(s) {bad}" if bad else "a part or the network class itself"
                raise pickle.PicklingError(
                    f"{type(self).__name__}: cannot pickle {what} ({err}); use module-level "
                    f"functions and classes instead of lambdas and local definitions, or "
                    f"install cloudpickle."
                ) from err
            payload = cloudpickle.dumps(content, protocol=protocol)
        return (_restore, (payload,))


def _picklable(value) -> bool:
    try:
        pickle.dumps(value)
        return True
    except Exception:
        return False


class RLNetwork(Network):
    """A network that learns from one reward per game step: call ``reward`` after ``tick``."""

    NECESSARY_PARTS = Network.extend_keys(
        [Key("rewarder", "snn.reward.Reward")], base="NECESSARY_PARTS"
    )

    def reward(
        self, state: Any, action: Any, state_next: Any, reward: float | None = None
    ) -> float:
        """Give ``reward`` (or the rewarder's verdict when None) to the synapses; return it."""
        return self._reward_synapses(reward, state, action, state_next)

    def _reward_synapses(self, reward, state, action, state_next) -> float:
        """``reward``, or the rewarder's verdict on the step when it is None, checked to be
        one finite number (the error says which of the two it was), given to the synapses;
        returned."""
        rwd = reward if reward is not None else self.rewarder(state, action, state_next)
        check_reward(self, rwd, "the reward argument" if reward is not None else "the rewarder")
        self.synapses.reward(rwd)
        return rwd


class ActiveRLNetwork(RLNetwork):
    """A network rewarded at every network step: after each step it calls
    ``continuous_reward(state)``, which asks ``continuous_rwd_action(network, state)``
    for the action to judge and gives the rewarder's verdict to the synapses.
    ``reward()`` then only reports the game step's reward (it changes nothing).

    With built-in parts the steps still run compiled, one kernel call per step, and only
    ``continuous_reward`` (with the user's ``continuous_rwd_action`` and rewarder) runs in
    Python between them: the same spikes and weights as the Python path."""

    NECESSARY_KEYS = RLNetwork.extend_keys(
        [
            Key(
                "continuous_rwd_action", "f(network, state) -> action judged at every network step."
            ),
        ]
    )

    def __init__(self, game: Any = None, **kwargs: Any):
        super().__init__(game=game, **kwargs)
        if not callable(self._continuous_rwd_action) or isinstance(
            self._continuous_rwd_action, type
        ):
            raise ConfigError(
                f"{type(self).__name__}: key 'continuous_rwd_action' got "
                f"{self._continuous_rwd_action!r}; expected a function f(network, state)."
            )

    def reward(
        self, state: Any, action: Any, state_next: Any, reward: float | None = None
    ) -> float:
        """The game step's reward (``reward``, or the rewarder's verdict); the synapses get none."""
        return reward if reward is not None else self.rewarder(state, action, state_next)

    def continuous_reward(self, state: Any, reward: float | None = None) -> float:
        """Reward the synapses for this network step; return the reward."""
        action = self._continuous_rwd_action(self, state)
        return self._reward_synapses(reward, state, action, None)

    def _process_step(self, i, state):
        super()._process_step(i, state)
        self.continuous_reward(state)

    def _after_step(self, state):
        return lambda i: self.continuous_reward(state)


#: the ``_process_step`` methods that the compiled tick reproduces (with ``_after_step``)
_FAST_PROCESS_STEPS = (Network._process_step, ActiveRLNetwork._process_step)
