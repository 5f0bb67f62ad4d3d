"""``to_brian2(net)``: the same network in Brian2, run and read back in spikey's formats.

Brian2 (2.9) does not import with numpy >= 2.3, so it lives in its own environment::

    python -m venv /work/b2venv
    /work/b2venv/bin/pip install "numpy<2.3" brian2 numba tqdm matplotlib cloudpickle
    /work/b2venv/bin/pip install --no-deps -e .

The mapping follows spikey's per-ms order with Brian2's schedule (thresholds, synapses,
resets, then the group's ``end`` slot):

- the threshold ``v >= 30`` and the reset (``v = c``, ``u += d``) come first, as spikey tests at
  the start of its ms; the update is a ``run_regularly`` at ``end``: the paper's two 0.5 ms
  half-steps of v on (synaptic + external) input, then u from the new v;
- a synapse of delay d delivers after d - 1 ms (Brian2 delivers a 0-delay spike in its own
  step, as spikey's delay-1 synapses reach the same ms's update);
- the external input is the network's own generators replayed (``plan.InputReplay``) into a
  ``TimedArray``;
- plastic synapses follow spikey's rule itself (nearest-spike traces read ``delay`` ms back,
  eligibility c, weight steps of the network's mode, global dopamine); the traces are
  computed as powers (0.95 ** age) rather than spikey's repeated products, so plastic runs
  agree statistically, frozen ones spike for spike up to rounding.

``device="cpp_standalone"`` compiles the network (``compile_s`` apart from ``run_s``) and can
run once; ``"runtime"`` runs any number of times.
"""

from __future__ import annotations

import math
import resource
import tempfile
import time

import numpy as np

from spikey.engine.network import Spikes
from spikey.export.plan import (
    InputReplay,
    check_exportable,
    checked_rewards,
    checked_stimuli,
    delivering,
    export_error,
)

_TARGET = "Brian2"
_VENV = (
    "python -m venv /work/b2venv && /work/b2venv/bin/pip install 'numpy<2.3' brian2 numba "
    "tqdm matplotlib cloudpickle && /work/b2venv/bin/pip install --no-deps -e ."
)


def import_brian2():
    """Import Brian2, or raise an ImportError with the command that makes its environment."""
    try:
        import brian2
    except (ImportError, AttributeError) as err:  # numpy >= 2.3: AttributeError (ndarray.ptp)
        raise ImportError(
            "spikey.export.to_brian2 needs Brian2, which needs numpy < 2.3: run it from its "
            f"own environment ({_VENV}) ({type(err).__name__}: {err})"
        ) from err
    return brian2


def to_brian2(net, *, device: str = "runtime", directory: str | None = None):
    """Build ``net``'s network in Brian2; returns a :class:`Brian2Network` to run.

    Parameters
    ----------
    net : IzhNetwork
        A fresh (or quiescent) network; ``net.plasticity = False`` exports frozen weights.
    device : str
        "runtime" (Brian2's default code generation) or "cpp_standalone".
    directory : str, optional
        Where cpp_standalone writes and compiles its project (a new temporary folder if None).

    Returns
    -------
    Brian2Network
    """
    check_exportable(net, _TARGET)
    if device not in ("runtime", "cpp_standalone"):
        raise export_error(_TARGET, "device", repr(device), "'runtime' or 'cpp_standalone'")
    if np.any(net.da_release != 0.0):
        raise export_error(_TARGET, "da_release", "non-zero values", "zeros (not mapped yet)")
    return Brian2Network(net, device, directory)


def _child_cpu() -> float:
    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    return use.ru_utime + use.ru_stime


class Brian2Network:
    """A spikey network built in Brian2 (make it with :func:`to_brian2`).

    ``run(duration_ms, stimuli, rewards)`` returns spikes as ``IzhNetwork.run`` does;
    :meth:`weights` reads weights back in spikey's storage order. After a run, ``run_s``
    holds the simulation's wall seconds and (cpp_standalone) ``compile_s`` the compilation's
    and ``run_cpu_s`` the compiled program's CPU seconds.
    """

    def __init__(self, net, device, directory):
        b2 = import_brian2()
        self._b2 = b2
        self.device = device
        self.n = net.n
        self.t = net.t
        self._replay = InputReplay(net)
        self._params = dict(net.params)
        self._mode = net.mode
        self.compile_s = 0.0
        self.run_s = 0.0
        self.run_cpu_s = 0.0
        self._runs = 0
        b2.get_device().reinit()  # a fresh device: an earlier standalone build is spent
        if device == "cpp_standalone":
            self._dir = directory or tempfile.mkdtemp(prefix="spikey_brian2_")
            b2.set_device("cpp_standalone", directory=self._dir, build_on_run=False)
            b2.prefs.devices.cpp_standalone.openmp_threads = 0
        else:
            b2.set_device("runtime")
        b2.start_scope()
        b2.defaultclock.dt = 1 * b2.ms
        self._build(net)

    def _build(self, net):
        b2 = self._b2
        n = net.n
        g = b2.NeuronGroup(
            n,
            """
            v : 1
            u : 1
            a : 1 (constant)
            b : 1 (constant)
            c_reset : 1 (constant)
            d_reset : 1 (constant)
            Isyn : 1
            Itot : 1
            """,
            threshold="v >= 30",
            reset="v = c_reset\nu = u + d_reset",
            refractory=0 * b2.ms,  # gives lastspike (set before the synapses act)
            name="neurons",
        )
        g.a, g.b, g.c_reset, g.d_reset = net.a, net.b, net.c_reset, net.d_reset
        g.v, g.u = np.array(net.v), np.array(net.u)
        g.run_regularly(
            """
            Itot = Isyn + ext_in(t, i)
            v = v + 0.5 * ((0.04 * v + 5.0) * v + 140.0 - u + Itot)
            v = v + 0.5 * ((0.04 * v + 5.0) * v + 140.0 - u + Itot)
            u = u + a * (b * v - u)
            Isyn = 0
            """,
            when="end",
            order=0,
            name="neuron_update",
        )
        syn = net.syn
        w = net.weights()
        live = delivering(net)
        learn = syn.plastic & net.plasticity
        self._syn_info = (learn, w)
        objs = [g]
        static = live & ~learn
        if static.any():
            s = b2.Synapses(g, g, "w : 1 (constant)", on_pre="Isyn_post += w", name="static")
            s.connect(i=syn.pre[static], j=syn.post[static])
            s.w = w[static]
            s.delay = (syn.delay[static] - 1) * b2.ms
            objs.append(s)
        self._plastic = None
        if learn.any():
            objs.append(self._plastic_synapses(g, net, learn, live, w))
        self.monitor = b2.SpikeMonitor(g, name="spikes")
        objs.append(self.monitor)
        self.network = b2.Network(*objs)
        self._sp_seen = 0

    def _plastic_synapses(self, g, net, learn, live, w):
        """Spikey's rule: LTP at a post spike from the pre trace ``delay`` ms back (the last
        arrival before this ms: arrival = pre spike + delay - 1), LTD at an arrival from the
        post trace now; weights step every ``w_every`` ms (stepped) or every ms (exact)."""
        b2 = self._b2
        p = net.params
        decay = 1.0 - 1.0 / p["tau_stdp"]
        if net.mode == "exact":  # every ms
            step = "1"
            c_decay = math.exp(-1.0 / p["tau_c"])
            gain = p["tau_c"] * (-math.expm1(-1.0 / p["tau_c"])) / p["w_every"]
        else:  # at the end of ms t with (t + 1) % w_every == 0, as spikey
            step = f"int((round(t / ms) + 1) % {int(p['w_every'])} == 0)"
            c_decay, gain = 1.0 - p["w_every"] / p["tau_c"], 1.0
        s = b2.Synapses(
            g,
            g,
            """
            w : 1
            c : 1
            live : 1 (constant)
            tarr : 1
            d : 1 (shared)
            """,
            on_pre=f"""
            Isyn_post += w * live
            tarr = t / ms
            c = c - {p["a_minus"]!r} * {decay!r} ** ((t - lastspike_post) / ms)
            """,
            on_post=f"c = c + {p['a_plus']!r} * {decay!r} ** ((t / ms) - 1 - tarr)",
            name="plastic",
        )
        s.connect(i=net.syn.pre[learn], j=net.syn.post[learn])
        s.w = w[learn]
        s.live = live[learn].astype(float)
        s.tarr = -1e9
        s.delay = (net.syn.delay[learn] - 1) * b2.ms
        s.post.order = -1  # LTP reads arrivals before this ms: the post pathway goes first
        lo, hi = float(p["w_min"]), float(p["w_max"])
        s.run_regularly(
            f"d = d * {1.0 - 1.0 / p['tau_d']!r}", when="end", order=1, name="dopamine_decay"
        )
        s.run_regularly(
            f"""
            w = clip(w + {step} * (d + {p["tonic_da"]!r}) * {gain!r} * c, {lo!r}, {hi!r})
            c = c * {c_decay!r} ** {step}
            """,
            when="end",
            order=2,
            name="weight_step",
        )
        s.run_regularly("d = d + reward_in(t)", when="end", order=3, name="rewards")
        self._plastic = s
        self._plastic_mask = learn
        return s

    def run(self, duration_ms: int, stimuli=None, rewards=None) -> Spikes:
        """Advance ``duration_ms`` ms (cpp_standalone: once); returns this run's spikes."""
        b2 = self._b2
        dur = int(duration_ms)
        if dur < 1:
            raise export_error(_TARGET, "run duration_ms", repr(duration_ms), "an integer >= 1")
        if self.device == "cpp_standalone" and self._runs:
            raise export_error(_TARGET, "run", "a second run", "one run per cpp_standalone build")
        stimuli = checked_stimuli(stimuli, dur, self.n, _TARGET)
        rewards = checked_rewards(rewards, dur, float(self._params["reward_amount"]), _TARGET)
        block = self._replay.block(dur, stimuli)
        ext = np.zeros((dur, self.n))
        ext[block.k, block.i] = block.a
        rew = np.zeros(dur)
        if rewards is not None:
            np.add.at(rew, rewards[0], rewards[1])
        start = self.network.t
        namespace = {
            "ext_in": b2.TimedArray(ext, dt=1 * b2.ms, name=f"ext_in_{self._runs}"),
            "reward_in": b2.TimedArray(rew, dt=1 * b2.ms, name=f"reward_in_{self._runs}"),
            "ms": b2.ms,
        }
        if start != 0 * b2.second:  # TimedArrays count from 0: shift by the start
            shift = float(start / b2.ms)
            namespace["ext_in"] = b2.TimedArray(
                np.concatenate([np.zeros((int(round(shift)), self.n)), ext]), dt=1 * b2.ms
            )
            namespace["reward_in"] = b2.TimedArray(
                np.concatenate([np.zeros(int(round(shift))), rew]), dt=1 * b2.ms
            )
        t0, c0 = time.perf_counter(), time.process_time()
        self.network.run(dur * b2.ms, namespace=namespace)
        if self.device == "cpp_standalone":
            b2.device.build(directory=self._dir, compile=True, run=False, with_output=False)
            self.compile_s = time.perf_counter() - t0
            t0, c0 = time.perf_counter(), _child_cpu()
            b2.device.run(directory=self._dir, with_output=False)
            self.run_cpu_s = _child_cpu() - c0
        else:  # runtime: code generation and the run, in this process
            self.run_cpu_s = time.process_time() - c0
        self.run_s = time.perf_counter() - t0
        self._runs += 1
        t = np.rint(np.asarray(self.monitor.t / b2.ms)).astype(np.int64)
        i = np.asarray(self.monitor.i, dtype=np.int32)
        t, i = t[self._sp_seen :], i[self._sp_seen :]
        self._sp_seen += t.size
        order = np.lexsort((i, t))
        base = self.t
        self.t += dur
        return Spikes(t[order] + base - int(round(float(start / b2.ms))), i[order])

    def weights(self) -> np.ndarray:
        """All weights in spikey's storage order (plastic ones as Brian2 holds them now)."""
        learn, w = self._syn_info
        out = w.copy()
        if self._plastic is not None:
            out[learn] = np.asarray(self._plastic.w[:], dtype=float)
        return out
