"""The Izhikevich network object: state, validation, chunked driving, recording, checkpoints.

See ``docs/engine-api.md`` for the interface. ``engine="numba"`` runs the event-driven kernel
(``kernels.izh_run_lazy``), ``engine="dense"`` the plain per-ms kernel that sweeps every plastic
synapse at each weight step (``kernels.izh_run_dense``, the oracle), ``engine="reference"`` the
NumPy oracle in ``reference.py``; all on the same state and the same random draws (the
counter-based stream of ``noise.py``).
"""

from __future__ import annotations

import copy
import math
import os
import warnings
from dataclasses import dataclass

import numba
import numpy as np

from spikey.engine import checkpoint_file, kernels, noise, reference
from spikey.engine.connectivity import Synapses, build_synapses
from spikey.engine.connectivity import engine_error as _bad
from spikey.engine.params import NEURON_TYPES, resolve

MODES = ("stepped", "exact")
CHECKPOINT_VERSION = 2  # a state of another layout is refused by _check_checkpoint_state
ENGINES = ("numba", "dense", "reference")
BACKENDS = ENGINES  # the old name
_NOISE_CODE = {"none": 0, "uniform": 1, "thalamic": 2}
_EMPTY_STIM = (np.zeros(0, np.int64), np.zeros(0, np.int32), np.zeros(0))
_EMPTY_REW = (np.zeros(0, np.int64), np.zeros(0))
#: largest |dopamine| one reward pulse or one spike's release may add (0.5 is the paper's
#: reward); keeps the kernels' accumulator far from overflow
DA_LIMIT = 1e6


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


class IzhNetwork:
    """A network of Izhikevich neurons with delayed synapses and dopamine-modulated STDP.

    Build with :func:`spikey.models.izhikevich2007.build` (presets) or :meth:`from_arrays`.
    """

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
        if not isinstance(mode, str) or mode not in MODES:
            raise _bad("mode", repr(mode), f"one of {MODES}")
        try:
            noise_seed = noise.start_seed(rng)
        except TypeError:
            given = repr(rng) if isinstance(rng, (int, float, str)) else type(rng).__name__
            raise _bad(
                "rng", given, "a numpy Generator, a SeedSequence or an int seed in [0, 2**64)"
            ) from None
        abcd = np.asarray(neuron_abcd, dtype=np.float64)
        n = int(params["n_exc"]) + int(params["n_inh"])
        if abcd.shape != (n, 4) or not np.all(np.isfinite(abcd)):
            raise _bad(
                "neuron parameters (a, b, c, d)",
                f"shape {abcd.shape}",
                f"finite values, shape ({n}, 4)",
            )
        self.params = dict(params)
        self.mode = mode
        self.engine = engine
        self.syn = syn
        # the neuron update's streams, laid out against 4K aliasing (kernels.lanes): v and u
        # (placed by _place_state), I, and the noise words, which the kernels advance in place
        self._lanes = kernels.lanes(n)
        self._lanes["lane_s0"][:], self._lanes["lane_s1"][:] = noise.seed_state(noise_seed, n)
        self._tuples = None  # the kernels' named tuples, kept between calls
        self.n = n
        self.n_exc = int(params["n_exc"])
        self.a, self.b, self.c_reset, self.d_reset = (
            np.ascontiguousarray(abcd[:, k]) for k in range(4)
        )
        self._plasticity = True
        self.threads = threads
        self._rec: Recording | None = None
        self._consts()
        self.da_release = np.zeros(n)
        dmax = syn.max_delay
        s = syn.pre.size
        st = {
            "t": 0,
            "d": 0.0,
            "v": np.full(n, -65.0),
            "fired_ring": np.zeros((dmax, n), dtype=np.uint32),
            "fired_cnt": np.zeros(dmax, dtype=np.int64),
        }
        if engine == "numba":  # STDP traces from spike times (kernels.izh_run_lazy)
            st.update(
                last=np.full(n, kernels.NEVER, dtype=np.int64),
                spk=np.full((n, dmax + 1), kernels.NEVER, dtype=np.int64),
                spk_n=np.zeros(n, dtype=np.int64),
            )
        else:  # the author's trace array, one row per ms of the last D + 1
            st["trace_hist"] = np.zeros((dmax + 1, n))
        st["u"] = self.b * st["v"]
        if engine == "numba":
            # wc[:, 0] = wk, wc[:, 1] = ch; w = clip(wk + ch * acc) if plastic (kernels.izh_run_lazy)
            st.update(wc=np.stack([syn.weight, np.zeros(s)], axis=1), acc=0.0, pclock=0)
        else:
            st.update(w=syn.weight.copy(), c=np.zeros(s))
        self.state = st
        self._place_state()

    def _consts(self):
        """Kernel inputs fixed after build: the named structure and parameters, buffers."""
        p, syn, n = self.params, self.syn, self.n
        tau_c = float(p["tau_c"])
        if self.mode == "exact":  # continuous c: per ms exp(-1/tau_c), weight gain g per ms
            period, c_decay = 1, math.exp(-1.0 / tau_c)
            gain = tau_c * (-math.expm1(-1.0 / tau_c)) / p["w_every"]
        else:  # the author's rule: every w_every ms, w += (d + tonic) c, then c *= c_decay
            period, c_decay, gain = int(p["w_every"]), 1.0 - p["w_every"] / tau_c, 1.0
        # re-base the lazy accumulator every rebase_ms, or sooner if c would shrink > 1000x
        steps = max(1, min(int(p["rebase_ms"]) // period, int(math.log(1e-3) / math.log(c_decay))))
        k = np.arange(steps + 1)
        shrink = np.exp(-k / tau_c) if self.mode == "exact" else np.power(c_decay, k)
        self._shrink = shrink
        self._params = kernels.make(
            kernels.Params,
            a_plus=p["a_plus"],
            a_minus=p["a_minus"],
            tonic=p["tonic_da"],
            w_min=p["w_min"],
            w_max=p["w_max"],
            d_decay=1.0 - 1.0 / p["tau_d"],
            trace_decay=1.0 - 1.0 / p["tau_stdp"],
            trace_floor=p["trace_floor"],
            c_decay=c_decay,
            gain=gain,
            period=period,
            noise_mode=_NOISE_CODE[p["noise"]],
            noise_scale=2.0 * p["noise_amp"],
            thal_amp=float(p["thalamic_amp"]),
            trace=trace_table(p["tau_stdp"], p["trace_floor"]),
            grow=np.exp(k / tau_c) if self.mode == "exact" else 1.0 / shrink,
            shrink=shrink,
        )
        # compact targets when the sink index n fits 16 bits (less memory traffic per event)
        index_type = np.uint16 if n < 2**16 else np.uint32
        post = syn.post.astype(index_type)
        if p["duplicates"] == "last" and syn.shadowed.any():  # shadowed twins deliver to I[n]
            dpost = np.where(syn.shadowed, n, syn.post).astype(index_type)
        else:
            dpost = post
        self._structure = dict(
            syn_off=syn.syn_off.astype(np.uint32) if syn.pre.size < 2**32 else syn.syn_off,
            post=post,
            dpost=dpost,
            kind=_outgoing_kind(syn, n),
            plastic=syn.plastic.astype(np.uint8),
            in_off=syn.in_off,
            in_syn=syn.in_syn.view(np.uint32),
            in_pre=syn.pre[syn.in_syn].view(np.uint32),
            in_delay=syn.delay[syn.in_syn].astype(np.int32),
            in_pd=syn.pre[syn.in_syn].astype(np.int64) * 128 + syn.delay[syn.in_syn],
            pruns=_runs(syn.plastic),
            a=self.a,
            b=self.b,
            block_ab=_block_ab(self.a, self.b),
            c_reset=self.c_reset,
            d_reset=self.d_reset,
        )
        self._work = None
        self._sp_t = np.empty(0, dtype=np.int64)
        self._sp_i = np.empty(0, dtype=np.int32)
        self._no_rec = (
            np.zeros(0, dtype=np.int64),
            0,
            np.zeros((0, 0)),
            np.zeros((0, 0)),
            np.zeros(0),
        )

    @property
    def threads(self) -> int:
        """Threads of the numba engine (results do not depend on it; > 1 pays on big networks)."""
        return self._threads

    @threads.setter
    def threads(self, count):
        limit = numba.config.NUMBA_NUM_THREADS
        if isinstance(count, bool) or not isinstance(count, (int, np.integer)):
            raise _bad("threads", repr(count), f"an integer in 1..{limit}")
        if not 1 <= count <= limit:
            raise _bad("threads", repr(count), f"an integer in 1..{limit} (NUMBA_NUM_THREADS)")
        if count > 1 and self.engine != "numba":
            raise _bad("threads", count, "1 unless engine='numba'")
        self._threads = int(count)
        self._bounds = None  # the threads' neuron ranges, made at the next run

    @property
    def backend(self) -> str:
        """Deprecated name of :attr:`engine`."""
        return self.engine

    @property
    def noise_state(self) -> np.ndarray:
        """A copy of the noise generators' state (``noise.py``; uint64, shape (2, N + 1)); set
        it to continue the streams of another run."""
        return np.stack([self._lanes["lane_s0"], self._lanes["lane_s1"]])

    @noise_state.setter
    def noise_state(self, value) -> None:
        words = _checked_noise_state(value, self.n)
        self._lanes["lane_s0"][:], self._lanes["lane_s1"][:] = words

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
            pre_a = _int_array(pre, "from_arrays pre")
            plastic = pre_a < p["n_exc"] if pre_a.size else np.zeros(0, dtype=bool)
        syn, _ = build_synapses(
            n, pre, post, weight, delay, plastic, p["max_delay"], p["w_min"], p["w_max"]
        )
        abcd = default_abcd(p) if neuron_abcd is None else neuron_abcd
        return cls(
            p,
            syn,
            abcd,
            dynamics_rng(seed),
            mode=mode,
            engine=engine_choice(engine, backend),
            threads=threads,
        )

    # ----------------------------------------------------------------- read-only views
    @property
    def pre(self):
        """Presynaptic neuron of each synapse (read-only, storage order)."""
        return _ro(self.syn.pre)

    @property
    def post(self):
        """Postsynaptic neuron of each synapse (read-only, storage order)."""
        return _ro(self.syn.post)

    @property
    def delay(self):
        """Axonal delay of each synapse in ms (read-only)."""
        return _ro(self.syn.delay)

    @property
    def plastic(self):
        """Whether each synapse learns (read-only; inhibitory ones do not)."""
        return _ro(self.syn.plastic)

    @property
    def t(self) -> int:
        """Model time in ms since the network was built."""
        return int(self.state["t"])

    @property
    def d(self) -> float:
        """Current dopamine level."""
        return float(self.state["d"])

    @property
    def v(self):
        """Membrane potentials (mV, read-only)."""
        return _ro(self.state["v"])

    @property
    def u(self):
        """Recovery variables (read-only)."""
        return _ro(self.state["u"])

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
        return self._da_release

    @da_release.setter
    def da_release(self, values):
        arr = np.asarray(values, dtype=np.float64)
        if arr.ndim == 0:
            arr = np.full(self.n, float(arr))
        if arr.shape != (self.n,):
            raise _bad(
                "da_release", f"shape {arr.shape}", f"one value per neuron, shape ({self.n},)"
            )
        bad = ~(np.abs(arr) <= DA_LIMIT)
        if bad.any():
            raise _bad(
                "da_release",
                f"{arr[bad][0]!r} for neuron {int(np.flatnonzero(bad)[0])}",
                f"finite values, |value| <= {DA_LIMIT:g} (negative: each spike lowers dopamine)",
            )
        self._da_release = arr.copy()
        self._structure["da_release"] = self._da_release
        self._tuples = None  # the kernels' Structure holds the old array

    # ----------------------------------------------------------------- weights
    def weights(self) -> np.ndarray:
        """All weights at the present time (exact mode: pending integrals applied, clipped)."""
        st = self.state
        if "wc" not in st:
            return st["w"].copy()
        w = st["wc"][:, 0].copy()
        p = self.syn.plastic
        w[p] = np.clip(
            w[p] + st["wc"][p, 1] * st["acc"], self.params["w_min"], self.params["w_max"]
        )
        return w

    def eligibility(self) -> np.ndarray:
        """All eligibility traces c at the present time."""
        st = self.state
        if "wc" in st:
            return st["wc"][:, 1] * self._shrink[st["pclock"]]
        return st["c"].copy()

    def set_weights(self, idx, values) -> None:
        """Set chosen synapses' weights; plastic ones must lie in [w_min, w_max]."""
        idx = self._check_syn_index(idx, "set_weights idx")
        vals = np.broadcast_to(np.asarray(values, dtype=np.float64), idx.shape).copy()
        if not np.all(np.isfinite(vals)):
            raise _bad("set_weights values", "a non-finite value", "finite weights")
        pl = self.syn.plastic[idx]
        lo, hi = self.params["w_min"], self.params["w_max"]
        bad = pl & ((vals < lo) | (vals > hi))
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            raise _bad(
                "set_weights values",
                f"{vals[k]} for plastic synapse {idx[k]}",
                f"weights in [w_min, w_max] = [{lo}, {hi}]",
            )
        if "wc" in self.state:
            wc = self.state["wc"]
            wc[idx, 0] = np.where(pl, vals - wc[idx, 1] * self.state["acc"], vals)
        else:
            self.state["w"][idx] = vals

    def synapse_index(self, pre, post) -> int:
        """Storage index of the first synapse pre -> post, or -1."""
        for name, x in (("pre", pre), ("post", post)):
            if not isinstance(x, (int, np.integer)) or not 0 <= x < self.n:
                raise _bad(f"synapse_index {name}", repr(x), f"a neuron index in 0..{self.n - 1}")
        lo, hi = (
            self.syn.syn_off[pre * self.syn.max_delay],
            self.syn.syn_off[(pre + 1) * self.syn.max_delay],
        )
        hits = np.flatnonzero(self.syn.post[lo:hi] == post)
        return int(lo + hits[0]) if hits.size else -1

    def _check_syn_index(self, idx, what) -> np.ndarray:
        arr = np.atleast_1d(np.asarray(idx))
        if arr.ndim != 1 or (arr.size and not np.issubdtype(arr.dtype, np.integer)):
            raise _bad(
                what, f"{arr.dtype} array of shape {arr.shape}", "a 1-D array of synapse indices"
            )
        arr = arr.astype(np.int64)
        s = self.syn.pre.size
        if arr.size and (arr.min() < 0 or arr.max() >= s):
            raise _bad(
                what, f"index {arr[(arr < 0) | (arr >= s)][0]}", f"synapse indices in 0..{s - 1}"
            )
        return arr

    # ----------------------------------------------------------------- recording
    def record(self, synapses=(), dopamine=True, every_ms=10) -> Recording:
        """Start recording chosen synapses' w and c (and d unless ``dopamine=False``) every
        ``every_ms`` ms from now on."""
        idx = self._check_syn_index(synapses, "record synapses")
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
        if (
            isinstance(duration_ms, bool)
            or not isinstance(duration_ms, (int, np.integer))
            or duration_ms < 0
        ):
            raise _bad("run duration_ms", repr(duration_ms), "an integer number of ms >= 0")
        duration = int(duration_ms)
        st_t, st_n, st_a = self._check_stimuli(stimuli, duration)
        rw_t, rw_a = self._check_rewards(rewards, duration)
        own_bar = progress is True
        if own_bar:
            from spikey.progress import progress_factory

            progress = progress_factory(True)(total=duration, desc="simulating (ms)")
        chunk = 1000 if progress not in (None, False) else 10_000  # bounded spike buffers
        out_t, out_i = [], []
        done = 0
        try:
            while done < duration:
                n = min(chunk, duration - done)
                n_done = self._advance(done, n, st_t, st_n, st_a, rw_t, rw_a, out_t, out_i)
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

    def _advance(self, offset, n_ms, st_t, st_n, st_a, rw_t, rw_a, out_t, out_i) -> int:
        """Simulate up to ``n_ms`` ms starting ``offset`` ms into the current run; returns ms done."""
        if st_t.size:
            lo, hi = np.searchsorted(st_t, [offset, offset + n_ms])
            stim = (st_t[lo:hi] - offset, st_n[lo:hi], st_a[lo:hi])
        else:
            stim = (st_t, st_n, st_a)
        if rw_t.size:
            rlo, rhi = np.searchsorted(rw_t, [offset, offset + n_ms])
            rew = (rw_t[rlo:rhi] - offset, rw_a[rlo:rhi])
        else:
            rew = (rw_t, rw_a)
        t0 = self.state["t"]
        rec = self._rec
        if rec is not None:
            first = (t0 // rec.every_ms + 1) * rec.every_ms  # first sample time (after the step)
            n_samples = max(0, (t0 + n_ms - first) // rec.every_ms + 1)
            k = len(rec.synapses)
            rec_syn, rec_every = rec.synapses, rec.every_ms
            rec_w, rec_c, rec_d = (
                np.zeros((n_samples, k)),
                np.zeros((n_samples, k)),
                np.zeros(n_samples),
            )
        else:
            rec_syn, rec_every, rec_w, rec_c, rec_d = self._no_rec
        if self.engine == "reference":
            ms, sp_t, sp_i, n_rec = reference.run(
                self, n_ms, stim, rew, rec_syn, rec_every, rec_w, rec_c, rec_d
            )
        else:
            ms, sp_t, sp_i, n_rec = self._run_numba(
                n_ms, stim, rew, rec_syn, rec_every, rec_w, rec_c, rec_d
            )
        self._check_finite(stim)
        if rec is not None and n_rec:
            times = (np.arange(n_rec) * rec.every_ms + first).astype(np.int64)
            rec._append(times, rec_w[:n_rec].copy(), rec_c[:n_rec].copy(), rec_d[:n_rec].copy())
        out_t.append(sp_t)
        out_i.append(sp_i)
        return ms

    def _check_finite(self, stim) -> None:
        """Raise if v or u left the finite range (inputs too large for the Euler steps)."""
        st = self.state
        if np.isfinite(st["v"].sum() + st["u"].sum()):  # a NaN or inf propagates into the sum
            return
        if np.isfinite(st["v"]).all() and np.isfinite(st["u"]).all():  # huge, but finite
            return
        p = self.params
        largest = float(np.max(np.abs(stim[2]))) if stim[2].size else 0.0
        raise _bad(
            "noise_amp / thalamic_amp / stimuli",
            f"noise_amp={p['noise_amp']!r}, thalamic_amp={p['thalamic_amp']!r}, largest "
            f"stimulus {largest!r} mV (v or u diverged to NaN or inf by t = {st['t']} ms)",
            "inputs the model's 0.5 ms Euler steps can follow: background amplitudes of at "
            "most about 200 mV",
        )

    def _run_numba(self, n_ms, stim, rew, rec_syn, rec_every, rec_w, rec_c, rec_d):
        st = self.state
        cap = max(self.n * 2, int(self.n * n_ms * 0.01) + self.n)  # ~10 Hz; grows by restarting
        if self._sp_t.size < cap:
            self._sp_t = np.empty(cap, dtype=np.int64)
            self._sp_i = np.empty(cap, dtype=np.int32)
        io = kernels.make(
            kernels.IO,
            st_t=stim[0],
            st_n=stim[1],
            st_a=stim[2],
            rw_t=rew[0],
            rw_a=rew[1],
            rec_syn=rec_syn,
            rec_every=rec_every,
            rec_w=rec_w,
            rec_c=rec_c,
            rec_d=rec_d,
            sp_t=self._sp_t,
            sp_i=self._sp_i,
            I=self._lanes["lane_I"],
            **self._scratch(),
        )
        net, state, scal, pclock = self._kernel_tuples()
        if self.engine == "numba":
            scal[0], scal[1], pclock[0] = st["d"], st["acc"], st["pclock"]
            run = kernels.izh_run_lazy
            if self._threads > 1:
                numba.set_num_threads(self._threads)
                if self._bounds is None or self._bounds.size != self._threads + 1:
                    in_degree = np.bincount(self.syn.post, minlength=self.n)
                    self._bounds = thread_bounds(in_degree, self._threads)
                bounds = self._bounds
                ms, n_sp, n_rec = kernels.izh_run_lazy_threads(
                    st["t"], n_ms, self._plasticity, net, self._params, state, io, bounds
                )
                run = None
        else:
            scal[0] = st["d"]
            run = kernels.izh_run_dense
        if run is not None:
            ms, n_sp, n_rec = run(st["t"], n_ms, self._plasticity, net, self._params, state, io)
        if self.engine == "numba":
            st["acc"] = float(scal[1])
            st["pclock"] = int(pclock[0])
        st["d"] = float(scal[0])
        st["t"] += int(ms)
        return int(ms), self._sp_t[:n_sp].copy(), self._sp_i[:n_sp].copy(), int(n_rec)

    def _scratch(self) -> dict:
        """The kernels' scratch arrays (``kernels.scratch``), kept between calls."""
        threads = self._threads if self.engine == "numba" else 1
        if self._work is None or self._work["counts"].size != threads:
            self._work = kernels.scratch(self.n, self.syn.in_off, threads)
        return self._work

    def _place_state(self) -> None:
        """Keep v and u in their lanes: a state array that was replaced (a restore, a user's
        assignment) is copied into its lane and the state points at the lane again."""
        for name in ("v", "u"):
            lane = self._lanes["lane_" + name]
            if self.state[name] is not lane:
                lane[:] = self.state[name]
                self.state[name] = lane

    def _kernel_tuples(self):
        """(Structure, state tuple, its scal and pclock arrays) for the kernels, checked by
        ``kernels.make`` when first built and rebuilt when a state array was replaced (the
        ``da_release`` setter drops them too): a call then costs ~20 us less."""
        self._place_state()
        st = self.state
        arrays = ("v", "u", "fired_ring", "fired_cnt") + (
            ("last", "spk", "spk_n", "wc") if self.engine == "numba" else ("trace_hist", "w", "c")
        )
        key = tuple(id(st[k]) for k in arrays)
        if self._tuples is None or self._tuples[0] != key:
            net = kernels.make(kernels.Structure, **self._structure)
            common = {k: st[k] for k in arrays[:4]}
            common.update(
                noise0=self._lanes["lane_s0"], noise1=self._lanes["lane_s1"], scal=np.zeros(2)
            )
            if self.engine == "numba":
                pclock = np.zeros(1, dtype=np.int64)
                state = kernels.make(
                    kernels.LazyState,
                    last=st["last"],
                    spk=st["spk"],
                    spk_n=st["spk_n"],
                    wc=st["wc"],
                    pclock=pclock,
                    **common,
                )
            else:
                pclock = None
                state = kernels.make(
                    kernels.DenseState, hist=st["trace_hist"], w=st["w"], c=st["c"], **common
                )
            self._tuples = (key, net, state, common["scal"], pclock)
        return self._tuples[1:]

    def _check_stimuli(self, stimuli, duration):
        if stimuli is None:
            return _EMPTY_STIM
        if not isinstance(stimuli, (tuple, list)) or len(stimuli) != 3:
            raise _bad(
                "run stimuli", type(stimuli).__name__, "a tuple (t, neuron, amount) of arrays"
            )
        t = _int_array(stimuli[0], "run stimuli t")
        i = _int_array(stimuli[1], "run stimuli neuron")
        a = np.asarray(stimuli[2], dtype=np.float64)
        a = np.broadcast_to(a, t.shape).copy() if a.ndim == 0 else a
        if not (t.shape == i.shape == a.shape):
            raise _bad(
                "run stimuli",
                f"shapes {t.shape}, {i.shape}, {a.shape}",
                "three 1-D arrays of one length",
            )
        if t.size == 0:
            return _EMPTY_STIM
        if t.min() < 0 or t.max() >= duration:
            raise _bad(
                "run stimuli t",
                f"{t[(t < 0) | (t >= duration)][0]} ms",
                f"times in 0..{duration - 1} (relative to now)",
            )
        if i.size and (i.min() < 0 or i.max() >= self.n):
            raise _bad(
                "run stimuli neuron",
                f"{i[(i < 0) | (i >= self.n)][0]}",
                f"neuron indices in 0..{self.n - 1}",
            )
        if not np.all(np.isfinite(a)):
            raise _bad("run stimuli amount", "a non-finite value", "finite amounts (mV)")
        order = np.argsort(t, kind="stable")
        return t[order], i[order].astype(np.int32), a[order]

    def _check_rewards(self, rewards, duration):
        if rewards is None:
            return _EMPTY_REW
        if isinstance(rewards, (tuple, list)) and len(rewards) == 2 and np.ndim(rewards[0]) == 1:
            t = _int_array(rewards[0], "run rewards t")
            a = np.asarray(rewards[1], dtype=np.float64)
            a = np.broadcast_to(a, t.shape).copy() if a.ndim == 0 else a
        else:
            t = _int_array(rewards, "run rewards t")
            a = np.full(t.shape, float(self.params["reward_amount"]))
        if t.shape != a.shape:
            raise _bad(
                "run rewards", f"shapes {t.shape} and {a.shape}", "(t, amount) arrays of one length"
            )
        if t.size == 0:
            return _EMPTY_REW
        if t.min() < 0 or t.max() >= duration:
            raise _bad(
                "run rewards t",
                f"{t[(t < 0) | (t >= duration)][0]} ms",
                f"times in 0..{duration - 1} (relative to now)",
            )
        bad = ~(np.abs(a) <= DA_LIMIT)  # NaN, inf or absurdly large
        if bad.any():
            raise _bad(
                "run rewards amount",
                f"{a[bad][0]!r} at t = {t[bad][0]} ms",
                f"finite dopamine amounts, |amount| <= {DA_LIMIT:g} (a negative amount is a "
                "dip below baseline)",
            )
        order = np.argsort(t, kind="stable")
        return t[order], a[order]

    # ----------------------------------------------------------------- checkpoints
    def checkpoint(self) -> dict:
        """Everything needed to resume bit-exactly (a dict of plain values and arrays; picklable)."""
        return {
            "version": CHECKPOINT_VERSION,
            "params": dict(self.params),
            "mode": self.mode,
            "engine": self.engine,
            "syn": copy.deepcopy(self.syn),
            "abcd": np.stack([self.a, self.b, self.c_reset, self.d_reset], 1),
            "noise_state": self.noise_state,
            "state": copy.deepcopy(self.state),
            "plasticity": self._plasticity,
            "da_release": self._da_release.copy(),
        }

    def save_checkpoint(self, path) -> str:
        """Write :meth:`checkpoint` to ``path`` as ``.npz`` + JSON header (no pickle); returns
        the path written. :meth:`restore` (or ``izh.restore``) takes the path."""
        return checkpoint_file.save(self.checkpoint(), path)

    @classmethod
    def restore(cls, ck) -> IzhNetwork:
        """A new network resuming from :meth:`checkpoint` output or a file of
        :meth:`save_checkpoint` (loaded with ``allow_pickle=False``)."""
        if isinstance(ck, (str, os.PathLike)):
            ck = checkpoint_file.load(ck)
        if not isinstance(ck, dict) or ck.get("version") != CHECKPOINT_VERSION:
            raise _bad("checkpoint", type(ck).__name__, "a dict made by IzhNetwork.checkpoint()")
        _check_checkpoint(ck)
        net = cls(
            ck["params"],
            copy.deepcopy(ck["syn"]),
            ck["abcd"],
            0,
            mode=ck["mode"],
            engine=ck.get("engine", ck.get("backend")),
        )
        _check_checkpoint_state(ck["state"], net.state)
        net.noise_state = ck["noise_state"]
        net.state = copy.deepcopy(ck["state"])
        net._place_state()
        net._plasticity = ck["plasticity"]
        net.da_release = ck["da_release"]
        return net


_CHECKPOINT_KEYS = (
    "params",
    "mode",
    "syn",
    "abcd",
    "noise_state",
    "state",
    "plasticity",
    "da_release",
)


def _check_checkpoint(ck: dict) -> None:
    """Refuse a checkpoint missing a part, or whose synapses do not fit its own network (the
    compiled kernels index state arrays by these sizes without bounds checks)."""
    missing = [k for k in _CHECKPOINT_KEYS if k not in ck]
    if missing:
        raise _bad("checkpoint", f"a dict without {missing}", "a dict made by checkpoint()")
    syn, p = ck["syn"], ck["params"]
    if not isinstance(syn, Synapses) or not isinstance(p, dict):
        raise _bad("checkpoint syn", type(syn).__name__, "the network's Synapses")
    n = int(p.get("n_exc", 0)) + int(p.get("n_inh", 0))
    s = syn.pre.size
    fits = (
        all(np.shape(a) == (s,) for a in (syn.post, syn.delay, syn.weight, syn.plastic))
        and syn.syn_off.size == n * syn.max_delay + 1
        and syn.in_off.size == n + 1
        and (
            s == 0
            or (0 <= min(syn.pre.min(), syn.post.min()) and max(syn.pre.max(), syn.post.max()) < n)
        )
    )
    if not fits:
        raise _bad("checkpoint syn", f"synapses of another network (n={n})", "its own synapses")


def _check_checkpoint_state(state, fresh: dict) -> None:
    """The checkpoint's state has the keys, shapes and dtypes a network of its size has."""
    if not isinstance(state, dict) or set(state) != set(fresh):
        keys = sorted(state) if isinstance(state, dict) else type(state).__name__
        raise _bad("checkpoint state", keys, f"the keys {sorted(fresh)}")
    for key, want in fresh.items():
        got = state[key]
        if isinstance(want, np.ndarray):
            if (
                not isinstance(got, np.ndarray)
                or got.shape != want.shape
                or got.dtype != want.dtype
            ):
                shape = getattr(got, "shape", None)
                raise _bad(
                    f"checkpoint state '{key}'",
                    f"shape {shape} {getattr(got, 'dtype', type(got).__name__)}",
                    f"shape {want.shape} {want.dtype} (another network's state?)",
                )
            if got.dtype.kind == "f" and not np.all(np.isfinite(got)):
                raise _bad(f"checkpoint state '{key}'", "a NaN or inf", "finite values")


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
    if not isinstance(engine, str) or engine not in ENGINES:
        raise _bad("engine", repr(engine), f"one of {ENGINES}")
    return engine


def trace_table(tau_stdp: float, floor: float) -> np.ndarray:
    """The author's STDP trace by age: 1 at a spike, times ``1 - 1/tau_stdp`` per ms while above
    ``floor`` (then 0), by the same repeated multiplication as the per-ms trace array, so the
    values are bit-identical. The last entry is the first 0 (any older age reads it)."""
    decay = 1.0 - 1.0 / tau_stdp
    out = [1.0]
    h = 1.0
    while h != 0.0:
        h = decay * h if h > floor else 0.0
        out.append(h)
    return np.array(out)


def _block_ab(a, b) -> np.ndarray:
    """Per detection block of ``kernels.BLOCK`` neurons: the (a, b) all of a full block's
    neurons share, or NaN (mixed, or the last, partial block)."""
    full = a.size // kernels.BLOCK
    out = np.full((-(-a.size // kernels.BLOCK), 2), np.nan)
    ab = np.stack([a, b], axis=1)[: full * kernels.BLOCK].reshape(full, kernels.BLOCK, 2)
    same = (ab == ab[:, :1]).all(axis=(1, 2))
    out[:full][same] = ab[same, 0]
    return out


def _outgoing_kind(syn, n) -> np.ndarray:
    """Per neuron: 0 no plastic outgoing synapse, 1 all plastic, 2 mixed."""
    total = np.bincount(syn.pre, minlength=n)
    plastic = np.bincount(syn.pre, weights=syn.plastic, minlength=n).astype(np.int64)
    kind = np.full(n, 2, dtype=np.uint8)
    kind[plastic == 0] = 0
    kind[(plastic == total) & (total > 0)] = 1
    return kind


def _runs(mask) -> np.ndarray:
    """(start, stop) of each run of True in ``mask``, shape (R, 2), int64."""
    m = np.concatenate([[False], np.asarray(mask, dtype=bool), [False]])
    edges = np.flatnonzero(m[1:] != m[:-1])
    return edges.reshape(-1, 2).astype(np.int64)


def _ro(a):
    v = a.view()
    v.flags.writeable = False
    return v


def _int_array(x, what):
    a = np.atleast_1d(np.asarray(x))
    if a.ndim != 1:
        raise _bad(what, f"shape {a.shape}", "a 1-D array")
    if a.size and not np.issubdtype(a.dtype, np.integer):
        if (
            np.issubdtype(a.dtype, np.floating)
            and np.all(np.isfinite(a))
            and np.all(a == np.round(a))
        ):
            return a.astype(np.int64)
        raise _bad(what, f"dtype {a.dtype}", "integer ms / indices")
    return a.astype(np.int64)


def thread_bounds(in_degree: np.ndarray, threads: int) -> np.ndarray:
    """Neuron ranges of ``threads`` threads in whole detection blocks, each receiving about
    the same number of synapses (a thread delivers onto its own neurons)."""
    n = in_degree.size
    blocks = -(-n // kernels.BLOCK)
    per_block = np.add.reduceat(in_degree + 1, np.arange(0, n, kernels.BLOCK)) if n else []
    work = np.concatenate([[0], np.cumsum(per_block)])
    cuts = np.searchsorted(work, np.linspace(0, work[-1], threads + 1))
    cuts[0], cuts[-1] = 0, blocks
    bounds = np.minimum(np.maximum.accumulate(cuts) * kernels.BLOCK, n)
    return bounds.astype(np.int64)


def _checked_noise_state(value, n: int) -> np.ndarray:
    """``value`` as the noise state of ``n`` neurons, or a ConfigError saying why not."""
    arr = np.asarray(value)
    if arr.shape != (2, n + 1) or arr.dtype != np.uint64:
        raise _bad(
            "noise_state", f"{arr.dtype} array of shape {arr.shape}", f"uint64, shape (2, {n + 1})"
        )
    if np.any((arr[0] == 0) & (arr[1] == 0)):
        raise _bad("noise_state", "a generator with an all-zero state", "non-zero columns")
    return arr


def default_abcd(p: dict) -> np.ndarray:
    """Per-neuron (a, b, c, d): ``exc_type`` for 0..n_exc-1, ``inh_type`` for the rest."""
    exc = np.tile(NEURON_TYPES[p["exc_type"]], (p["n_exc"], 1))
    inh = np.tile(NEURON_TYPES[p["inh_type"]], (p["n_inh"], 1))
    return np.concatenate([exc, inh]).astype(np.float64).reshape(-1, 4)


def seed_streams(seed):
    """(structure Generator, dynamics Generator) from one integer seed; the noise stream's
    seed is drawn from the second (``noise.start_seed``)."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise _bad("seed", repr(seed), "an integer >= 0")
    s_struct, s_dyn = np.random.SeedSequence(int(seed)).spawn(2)
    return np.random.Generator(np.random.PCG64(s_struct)), np.random.Generator(
        np.random.SFC64(s_dyn)
    )


def dynamics_rng(seed) -> np.random.Generator:
    """The Generator of a network's dynamics (noise, inputs) for ``seed``; structure has its own."""
    return seed_streams(seed)[1]
