"""The Izhikevich network object: validation, chunked driving, recording and checkpoints over
one engine of ``spikey.engine.izh``.

See ``docs/engine-api.md`` for the interface. ``engine="numba"`` runs the event-driven kernel
(``izh/lazy.py``), ``engine="dense"`` the plain per-ms kernel that sweeps every plastic
synapse at each weight step (``izh/dense.py``, the oracle), ``engine="reference"`` the NumPy
oracle (``izh/reference.py``); all on the same state and the same random draws (the
counter-based stream of ``noise.py``). The engine is chosen in one place, ``izh.ENGINES``;
its state is a NamedTuple of arrays the network keeps private and updates in place.
"""

from __future__ import annotations

import copy
import time
import warnings
from dataclasses import dataclass

import numba
import numpy as np

from spikey.engine import checkpoint_file, kernels, noise
from spikey.engine.connectivity import Synapses, build_synapses, check_table
from spikey.engine.connectivity import engine_error as _bad
from spikey.engine.izh import ENGINES as _ENGINES
from spikey.engine.izh import checkpoint as izh_checkpoint
from spikey.engine.izh import checks
from spikey.engine.izh.checks import DA_LIMIT
from spikey.engine.izh.model import block_ab, build_model, thread_bounds, trace_table
from spikey.engine.izh.model import io as izh_io
from spikey.engine.izh.threads import ThreadChoice
from spikey.engine.params import DEFAULTS, NEURON_TYPES, resolve
from spikey.module import ConfigError

MODES = ("stepped", "exact")
CHECKPOINT_VERSION = izh_checkpoint.VERSION
ENGINES = tuple(_ENGINES)
BACKENDS = ENGINES  # the old name
_block_ab = block_ab  # the old private name (tests of the kernels' block tables)
__all__ = [
    "BACKENDS",
    "CHECKPOINT_VERSION",
    "DA_LIMIT",
    "ENGINES",
    "MODES",
    "IzhNetwork",
    "Recording",
    "Spikes",
    "default_abcd",
    "dynamics_rng",
    "engine_choice",
    "seed_streams",
    "thread_bounds",
    "trace_table",
]


@dataclass
class Spikes:
    """Spikes of one ``run``: absolute ms ``t`` (int64) and neuron ``i`` (int32), time-ordered."""

    t: np.ndarray
    i: np.ndarray

    def __len__(self):
        return len(self.t)


class Recording:
    """Samples taken while recording: ``t`` (ms, after the step), ``w``/``c`` (samples x synapses)
    and ``d`` (one per sample; empty when recorded with ``dopamine=False``)."""

    def __init__(self, synapses, every_ms, dopamine):
        self.synapses = synapses
        self.every_ms = every_ms
        self.dopamine = dopamine
        self._t, self._w, self._c, self._d = [], [], [], []

    def _append(self, t, w, c, d):
        self._t.append(t)
        self._w.append(w)
        self._c.append(c)
        if self.dopamine:
            self._d.append(d)

    def _cat(self, parts, shape):
        return np.concatenate(parts) if parts else np.zeros(shape)

    @property
    def t(self):
        """Sample times (ms), int64."""
        return self._cat(self._t, (0,)).astype(np.int64)

    @property
    def w(self):
        """Weights of the recorded synapses, one row per sample."""
        return self._cat(self._w, (0, len(self.synapses)))

    @property
    def c(self):
        """Eligibility traces of the recorded synapses, one row per sample."""
        return self._cat(self._c, (0, len(self.synapses)))

    @property
    def d(self):
        """Dopamine level at each sample (empty when recorded with dopamine=False)."""
        return self._cat(self._d, (0,))


class _View:
    """A read-only attribute of a network computed by ``get(net)`` (keeps the class's
    method count down: these are data, not behaviour)."""

    def __init__(self, get, doc):
        self._get = get
        self.__doc__ = doc

    def __get__(self, net, owner=None):
        return self if net is None else self._get(net)


class IzhNetwork:
    """A network of Izhikevich neurons with delayed synapses and dopamine-modulated STDP.

    Build with :func:`spikey.models.izhikevich2007.build` (presets) or :meth:`from_arrays`.
    """

    pre = _View(lambda net: _ro(net.syn.pre), "Presynaptic neuron of each synapse (read-only).")
    post = _View(lambda net: _ro(net.syn.post), "Postsynaptic neuron of each synapse (read-only).")
    delay = _View(lambda net: _ro(net.syn.delay), "Axonal delay of each synapse in ms (read-only).")
    plastic = _View(
        lambda net: _ro(net.syn.plastic),
        "Whether each synapse learns (read-only; inhibitory do not).",
    )
    v = _View(lambda net: _ro(net._state.v), "Membrane potentials (mV, read-only).")
    u = _View(lambda net: _ro(net._state.u), "Recovery variables (read-only).")
    t = _View(lambda net: net._t, "Model time in ms since the network was built.")
    d = _View(lambda net: float(net._state.scal[0]), "Current dopamine level.")
    backend = _View(lambda net: net.engine, "Deprecated name of :attr:`engine`.")
    #: the engine's module: the one place its name is read (a module does not pickle, a name does)
    _engine = _View(lambda net: _ENGINES[net.engine], "The engine module (``izh.ENGINES``).")
    spikes_in_flight = _View(
        lambda net: int(net._state.fired_cnt.sum()),
        "Spikes of the last ``max_delay`` ms (some still to be delivered; 0 on a fresh network).",
    )

    def __init__(
        self,
        params: dict,
        syn: Synapses,
        neuron_abcd: np.ndarray,
        rng: np.random.Generator | np.random.SeedSequence | int,
        mode: str = "stepped",
        engine: str | None = None,
        *,
        backend: str | None = None,
        threads: int = 1,
    ):
        engine = engine_choice(engine, backend)
        if not isinstance(params, dict) or set(params) != set(DEFAULTS):
            keys = sorted(params) if isinstance(params, dict) else type(params).__name__
            raise _bad("params", keys, "the dict engine.params.resolve returns (every key)")
        _check_params(params, "the params given to IzhNetwork")
        n = int(params["n_exc"]) + int(params["n_inh"])
        check_table(syn, n, params["max_delay"])
        if not isinstance(mode, str) or mode not in MODES:
            raise _bad("mode", repr(mode), f"one of {MODES}")
        try:
            noise_seed = noise.start_seed(rng)
        except TypeError:
            given = repr(rng) if isinstance(rng, (int, float, str)) else type(rng).__name__
            raise _bad(
                "rng", given, "a numpy Generator, a SeedSequence or an int seed in [0, 2**64)"
            ) from None
        abcd = checks.float_array(
            neuron_abcd, "neuron parameters (a, b, c, d)", f"finite numbers, shape ({n}, 4)"
        )
        if abcd.shape != (n, 4) or not np.all(np.isfinite(abcd)):
            raise _bad(
                "neuron parameters (a, b, c, d)",
                f"shape {abcd.shape}",
                f"finite values, shape ({n}, 4)",
            )
        self.params, self.mode, self.engine, self.syn = dict(params), mode, engine, syn
        self.n, self.n_exc = n, int(params["n_exc"])
        unused = getattr(self._engine, "UNUSED_STRUCTURE", ())
        self._model = build_model(self.params, syn, abcd, mode, np.zeros(n), unused)
        st = self._model.structure
        self.a, self.b, self.c_reset, self.d_reset = st.a, st.b, st.c_reset, st.d_reset
        # the neuron update's streams, laid out against 4K aliasing (kernels.lanes): the state
        # keeps v, u and the noise words in them, the IO tuple the input I
        self._lanes = kernels.lanes(n)
        self._lanes["lane_s0"][:], self._lanes["lane_s1"][:] = noise.seed_state(noise_seed, n)
        self._state = self._engine.initial_state(self._model, self._lanes)
        self._t = 0
        self._plasticity = True
        self._rec: Recording | None = None
        self._spikes = (np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int32))
        self._one_range = np.array([0, n], dtype=np.int64)
        self._adaptive = True
        self._choice: ThreadChoice | None = None
        self.threads = threads

    # ----------------------------------------------------------------- settings
    @property
    def threads(self) -> int:
        """Threads of the numba engine (results do not depend on it; > 1 pays on big networks)."""
        return self._bounds.size - 1

    @threads.setter
    def threads(self, count):
        limit = numba.config.NUMBA_NUM_THREADS
        if not checks.is_int(count):
            raise _bad("threads", repr(count), f"an integer in 1..{limit}")
        if not 1 <= count <= limit:
            raise _bad("threads", repr(count), f"an integer in 1..{limit} (NUMBA_NUM_THREADS)")
        if count > 1 and not self._engine.THREADED:
            raise _bad("threads", count, "1 unless engine='numba' (the others run on one)")
        if count > 1:
            self._bounds = thread_bounds(np.bincount(self.syn.post, minlength=self.n), int(count))
        else:
            self._bounds = self._one_range
        self._work = kernels.scratch(self.n, self.syn.in_off, int(count))
        if count > 1 and (self._choice is None or self._choice.threads != count):
            self._choice = ThreadChoice(count)  # kept while the count stays

    @property
    def adaptive_threads(self) -> bool:
        """With ``threads > 1``: whether each chunk of a run goes to the threads or to one
        thread, whichever ran faster lately (wall time per ms, re-measured now and then;
        ``izh/threads.py``), so a busy machine never makes the threads slower than one. The
        results do not depend on it. Default True; False always uses every thread."""
        return self._adaptive

    @adaptive_threads.setter
    def adaptive_threads(self, on):
        if not isinstance(on, (bool, np.bool_)):
            raise _bad("adaptive_threads", repr(on), "True or False")
        self._adaptive = bool(on)

    @property
    def noise_state(self) -> np.ndarray:
        """A copy of the noise generators' state (``noise.py``; uint64, shape (2, N + 1)); set
        it to continue the streams of another run."""
        return np.stack([self._state.noise0, self._state.noise1])

    @noise_state.setter
    def noise_state(self, value) -> None:
        self._state.noise0[:], self._state.noise1[:] = checks.noise_state(value, self.n)

    @property
    def plasticity(self) -> bool:
        """Whether weights learn during :meth:`run` (assign a bool to freeze or thaw)."""
        return self._plasticity

    @plasticity.setter
    def plasticity(self, on):
        if not isinstance(on, (bool, np.bool_)):
            raise _bad("plasticity", repr(on), "True or False")
        self._plasticity = bool(on)

    @property
    def da_release(self):
        """Dopamine each neuron's spike releases (per neuron; assign a scalar or an array)."""
        return self._model.structure.da_release

    @da_release.setter
    def da_release(self, values):
        structure = self._model.structure._replace(da_release=checks.da_release(values, self.n))
        self._model = self._model._replace(structure=structure)

    @property
    def state(self) -> dict:
        """Deprecated: a dict of the engine's state (``t``, ``d`` and its arrays, live);
        assigning to it changes nothing. Use the accessors (``v``, ``weights()``, ...)."""
        warnings.warn(
            "IzhNetwork.state is private now (a typed engine state); read net.t, net.d, net.v, "
            "net.weights(), net.eligibility() or net.checkpoint() instead",
            DeprecationWarning,
            stacklevel=2,
        )
        out = dict(self._state._asdict(), t=self._t, d=self.d)
        if "wc" in out:  # the lazy engine's accumulator and clock under their old names
            out.update(acc=float(self._state.scal[1]), pclock=int(self._state.pclock[0]))
        return out

    # ----------------------------------------------------------------- construction
    @classmethod
    def from_arrays(
        cls,
        pre,
        post,
        weight,
        delay,
        *,
        n_exc,
        n_inh=0,
        plastic=None,
        seed=0,
        mode="stepped",
        engine=None,
        neuron_abcd=None,
        backend=None,
        threads=1,
        **overrides,
    ):
        """A network from user-given synapse arrays (stored sorted by pre, delay, then post; stable).

        ``plastic`` defaults to "presynaptic neuron is excitatory"; ``neuron_abcd`` (N x 4)
        defaults to ``exc_type``/``inh_type``. ``max_delay`` defaults to the largest delay given.
        """
        dl = np.asarray(delay)
        if "max_delay" not in overrides:
            overrides["max_delay"] = (
                int(max(1, dl.max())) if dl.size and np.issubdtype(dl.dtype, np.number) else 1
            )
        p = resolve(None, n_exc=n_exc, n_inh=n_inh, **overrides)
        n = p["n_exc"] + p["n_inh"]
        if plastic is None:
            pre_a = checks.int_array(pre, "from_arrays pre")
            plastic = pre_a < p["n_exc"] if pre_a.size else np.zeros(0, dtype=bool)
        syn, _ = build_synapses(
            n, pre, post, weight, delay, plastic, p["max_delay"], p["w_min"], p["w_max"]
        )
        abcd = default_abcd(p) if neuron_abcd is None else neuron_abcd
        engine = engine_choice(engine, backend)
        return cls(p, syn, abcd, dynamics_rng(seed), mode=mode, engine=engine, threads=threads)

    # ----------------------------------------------------------------- weights
    def weights(self) -> np.ndarray:
        """All weights at the present time (exact mode: pending integrals applied, clipped)."""
        return self._engine.weights(self._model, self._state)

    def eligibility(self) -> np.ndarray:
        """All eligibility traces c at the present time."""
        return self._engine.eligibility(self._model, self._state)

    def set_weights(self, idx, values) -> None:
        """Set chosen synapses' weights; plastic ones must lie in [w_min, w_max]."""
        idx = checks.synapse_index(idx, "set_weights idx", self.syn.pre.size)
        p = self.params
        vals = checks.weight_values(values, idx, self.syn.plastic, p["w_min"], p["w_max"])
        self._engine.set_weights(self._model, self._state, idx, vals)

    def synapse_index(self, pre, post) -> int:
        """Storage index of the first synapse pre -> post, or -1."""
        for name, x in (("pre", pre), ("post", post)):
            if not checks.is_int(x) or not 0 <= x < self.n:
                raise _bad(f"synapse_index {name}", repr(x), f"a neuron index in 0..{self.n - 1}")
        dmax = self.syn.max_delay
        lo, hi = self.syn.syn_off[pre * dmax], self.syn.syn_off[(pre + 1) * dmax]
        hits = np.flatnonzero(self.syn.post[lo:hi] == post)
        return int(lo + hits[0]) if hits.size else -1

    # ----------------------------------------------------------------- recording
    def record(self, synapses=(), dopamine=True, every_ms=10) -> Recording:
        """Start recording chosen synapses' w and c (and d unless ``dopamine=False``) every
        ``every_ms`` ms from now on."""
        idx = checks.synapse_index(synapses, "record synapses", self.syn.pre.size)
        if not isinstance(dopamine, (bool, np.bool_)):
            raise _bad("record dopamine", repr(dopamine), "True or False")
        if (
            isinstance(every_ms, bool)
            or not isinstance(every_ms, (int, np.integer))
            or every_ms < 1
        ):
            raise _bad("record every_ms", repr(every_ms), "an integer >= 1")
        self._rec = Recording(idx, int(every_ms), bool(dopamine))
        return self._rec

    def stop_recording(self) -> None:
        """Stop recording; what was recorded stays in the returned :class:`Recording`."""
        self._rec = None

    # ----------------------------------------------------------------- running
    def run(self, duration_ms, stimuli=None, rewards=None, progress=None) -> Spikes:
        """Advance ``duration_ms`` ms; returns the spikes of this run.

        ``stimuli`` = (t, neuron, amount) arrays with t relative to now (0 <= t < duration);
        ``rewards`` = (t, amount) or just t (amount ``reward_amount``); a negative amount is
        a dip of dopamine below its baseline (signed dopamine). ``progress``: a
        tqdm-like object with ``update(ms)``, or True for a tqdm bar.
        """
        duration = checks.duration(duration_ms)
        stim = checks.stimuli(stimuli, duration, self.n)
        rew = checks.rewards(rewards, duration, self.params["reward_amount"])
        is_flag = progress is None or progress is False or progress is True
        if not is_flag and not callable(getattr(progress, "update", None)):
            raise _bad(
                "run progress", checks.describe(progress), "None, True or an object with update(ms)"
            )
        own_bar = progress is True
        if own_bar:
            from spikey.progress import progress_factory

            progress = progress_factory(True)(total=duration, desc="simulating (ms)")
        chunk = 1000 if progress not in (None, False) else 10_000  # bounded spike buffers
        out_t, out_i = [], []
        done = 0
        try:
            while done < duration:
                n_done = self._advance(done, min(chunk, duration - done), stim, rew, out_t, out_i)
                done += n_done
                if progress not in (None, False) and n_done:
                    progress.update(n_done)
        finally:
            if own_bar:
                progress.close()
        if len(out_t) == 1:  # one chunk: its arrays are already this run's own copies
            return Spikes(out_t[0], out_i[0])
        if out_t:
            return Spikes(np.concatenate(out_t), np.concatenate(out_i))
        return Spikes(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32))

    def _advance(self, offset, n_ms, stim, rew, out_t, out_i) -> int:
        """Simulate up to ``n_ms`` ms starting ``offset`` ms into the current run (stimuli
        and rewards relative to the run); appends its spikes; returns ms done."""
        choice = self._choice if self._adaptive and self._bounds.size > 2 else None
        threads = self.threads if choice is None else choice.pick()
        if choice is not None:  # chunks short enough for the choice to follow the load
            n_ms = choice.chunk_ms(threads, n_ms)
        lo, hi = np.searchsorted(stim[0], [offset, offset + n_ms])
        rlo, rhi = np.searchsorted(rew[0], [offset, offset + n_ms])
        stim_now = (stim[0][lo:hi] - offset, stim[1][lo:hi], stim[2][lo:hi])
        rew_now = (rew[0][rlo:rhi] - offset, rew[1][rlo:rhi])
        t0, rec = self._t, self._rec
        if rec is not None:
            first = (t0 // rec.every_ms + 1) * rec.every_ms  # first sample time (after the step)
            rows = max(0, (t0 + n_ms - first) // rec.every_ms + 1)
            k = len(rec.synapses)
            rec_io = (rec.synapses, rec.every_ms, np.zeros((rows, k)), np.zeros((rows, k)))
            rec_io += (np.zeros(rows),)
        else:
            rec_io = (np.zeros(0, np.int64), 0, np.zeros((0, 0)), np.zeros((0, 0)), np.zeros(0))
        cap = max(self.n * 2, int(self.n * n_ms * 0.01) + self.n)  # ~10 Hz; grows by restarting
        if self._spikes[0].size < cap:
            self._spikes = (np.empty(cap, dtype=np.int64), np.empty(cap, dtype=np.int32))
        io = izh_io(stim_now, rew_now, rec_io, self._spikes, self._lanes["lane_I"], self._work)
        bounds = self._bounds if threads > 1 else self._one_range
        wall = time.perf_counter()
        ms, n_sp, n_rec = self._engine.advance(
            self._model, self._state, t0, n_ms, self._plasticity, io, bounds
        )
        if choice is not None:
            choice.record(threads, int(ms), time.perf_counter() - wall)
        self._t += int(ms)
        checks.finite(self._state.v, self._state.u, self.params, stim_now, self._t)
        if rec is not None and n_rec:
            times = (np.arange(n_rec) * rec.every_ms + first).astype(np.int64)
            rec._append(times, *(a[:n_rec].copy() for a in rec_io[2:]))
        out_t.append(self._spikes[0][:n_sp].copy())
        out_i.append(self._spikes[1][:n_sp].copy())
        return int(ms)

    # ----------------------------------------------------------------- checkpoints
    def checkpoint(self) -> dict:
        """Everything needed to resume bit-exactly (a dict of plain values and arrays; picklable):
        format 3, the engine's state (``state._asdict()``, arrays copied) with ``t`` and ``d``."""
        return {
            "version": CHECKPOINT_VERSION,
            "params": dict(self.params),
            "mode": self.mode,
            "engine": self.engine,
            "syn": copy.deepcopy(self.syn),
            "abcd": np.stack([self.a, self.b, self.c_reset, self.d_reset], 1),
            "noise_state": self.noise_state,
            "state": izh_checkpoint.saved_state(self._state),
            "t": self._t,
            "d": self.d,
            "plasticity": self._plasticity,
            "da_release": self.da_release.copy(),
        }

    def save_checkpoint(self, path) -> str:
        """Write :meth:`checkpoint` to ``path`` as ``.npz`` + JSON header (no pickle); returns
        the path written. :meth:`restore` (or ``izh.restore``) takes the path."""
        return checkpoint_file.save(self.checkpoint(), path)

    @classmethod
    def restore(cls, ck) -> IzhNetwork:
        """A new network resuming from :meth:`checkpoint` output or a file of
        :meth:`save_checkpoint` (loaded with ``allow_pickle=False``); checkpoints of format 2
        (earlier versions) load too."""
        ck = izh_checkpoint.normalized(ck)
        # before the build's keys check, so that a bad value is named as the checkpoint's
        _check_params(ck["params"], "the checkpoint's params")
        engine = ck.get("engine", ck.get("backend"))
        net = cls(ck["params"], copy.deepcopy(ck["syn"]), ck["abcd"], 0, ck["mode"], engine)
        izh_checkpoint.load_state(net._state, ck["state"], ck["t"], ck["d"])
        net._t = int(ck["t"])
        net.noise_state = ck["noise_state"]
        net.plasticity = ck["plasticity"]
        net.da_release = ck["da_release"]
        return net


def _check_params(params: dict, where: str) -> None:
    """Refuse ``params`` that :func:`engine.params.resolve` refuses (NaN a_plus, n_exc="8",
    an unknown key), its error saying they are ``where``'s."""
    try:
        resolve(None, **params)
    except (ConfigError, TypeError) as err:  # TypeError: a key that is not a str
        raise ConfigError(f"{err} (in {where})") from None


def engine_choice(engine=None, backend=None) -> str:
    """The engine ("numba", "dense" or "reference") from ``engine=`` or the deprecated
    ``backend=``."""
    if backend is not None:
        warnings.warn(
            "izhikevich engine: 'backend=' is now 'engine=' (numba, dense or reference); "
            "'backend' is the runner's word (serial, process, ray).",
            DeprecationWarning,
            stacklevel=3,
        )
        if engine is not None and engine != backend:
            raise _bad("engine", f"engine={engine!r} and backend={backend!r}", "only one of them")
        engine = backend
    if engine is None:
        engine = "numba"
    if not isinstance(engine, str) or engine not in _ENGINES:  # registered in izh.ENGINES
        raise _bad("engine", repr(engine), f"one of {tuple(_ENGINES)}")
    return engine


def _ro(a):
    v = a.view()
    v.flags.writeable = False
    return v


def default_abcd(p: dict) -> np.ndarray:
    """Per-neuron (a, b, c, d): ``exc_type`` for 0..n_exc-1, ``inh_type`` for the rest."""
    exc = np.tile(NEURON_TYPES[p["exc_type"]], (p["n_exc"], 1))
    inh = np.tile(NEURON_TYPES[p["inh_type"]], (p["n_inh"], 1))
    return np.concatenate([exc, inh]).astype(np.float64).reshape(-1, 4)


def seed_streams(seed):
    """(structure Generator, dynamics Generator) from one integer seed; the noise stream's
    seed is drawn from the second (``noise.start_seed``)."""
    if not checks.is_int(seed) or seed < 0:
        raise _bad("seed", repr(seed), "an integer >= 0")
    s_struct, s_dyn = np.random.SeedSequence(int(seed)).spawn(2)
    return np.random.Generator(np.random.PCG64(s_struct)), np.random.Generator(
        np.random.SFC64(s_dyn)
    )


def dynamics_rng(seed) -> np.random.Generator:
    """The Generator of a network's dynamics (noise, inputs) for ``seed``; structure has its own."""
    return seed_streams(seed)[1]
