"""``to_nest(net)``: the same network in NEST, run and read back in spikey's formats.

The mapping (``docs/cross-simulator.md`` has the reasoning and the measured figures):

- Neurons: NEST's ``izhikevich`` with ``consistent_integration=False`` at 1 ms resolution, the
  paper's two 0.5 ms half-steps of v, then u from the new v, as spikey. Per-neuron a, b, c, d,
  v and u are copied. NEST tests the threshold after its update and stamps the spike at the end
  of the step; spikey tests at the start of the next ms, so both report the same ms.
- Synapses: one connection per synapse that delivers (a ``duplicates="last"`` network's
  shadowed twins do not), NEST delay = spikey delay (a delay-1 spike reaches the update of
  the ms after the spike, in both).
- External input: the network's own generators are replayed (:class:`~spikey.export.plan.
  InputReplay`): per neuron one ``spike_generator`` whose spike weights are the input of each
  ms (uniform noise, thalamic picks, stimuli); the first ms of each :meth:`NestNetwork.run`
  goes in through the neurons' ``I_e`` (a generator's spike cannot reach the first step).
- Frozen weights (``net.plasticity = False``): ``static_synapse``. Plastic: excitatory
  synapses become ``stdp_dopamine_synapse`` (:func:`~spikey.export.plan.dopamine_mapping`)
  behind one ``parrot_neuron`` relay per (neuron, delay): pre -> relay carries delay - 1,
  relay -> post 1 ms, so NEST's delay (which its rule treats as dendritic) is the least it
  can be. Rewards and ``da_release`` spikes are dopamine events at a ``volume_transmitter``.

NEST is optional: ``pip install 'spikey-snn[crosscheck]'``. NEST keeps one kernel per
process; building a second network resets it (the first handle then refuses to run). Under
MPI (a NEST built with it, ``mpirun -np K``) every rank builds the same network, NEST keeps
each neuron and its incoming connections on one rank, and ``run``/``weights`` gather the
ranks' spikes and weights with mpi4py (``docs/nest-mpi.md``).
"""

from __future__ import annotations

import os
import time
import warnings

import numpy as np

from spikey.engine.network import Spikes
from spikey.export.plan import (
    InputReplay,
    check_exportable,
    checked_rewards,
    checked_stimuli,
    delivering,
    dopamine_mapping,
    export_error,
    multiplicities,
    release_events,
    resident_mb,
)

_TARGET = "NEST"
_live = {"handle": None}  # the handle that owns NEST's kernel


def _keep_numba_off_openmp() -> None:
    """NEST's wheel brings its own OpenMP runtime; with numba's OpenMP threading layer
    already running in the same process, ``nest.ResetKernel`` crashes (a segfault, seen
    after the engine's threaded kernel ran). Steer numba to its own work queue when its
    threads have not started; refuse clearly when they run on OpenMP already."""
    import sys

    numba = sys.modules.get("numba")
    if numba is None:
        os.environ.setdefault("NUMBA_THREADING_LAYER", "workqueue")
        return
    try:
        layer = numba.threading_layer()
    except ValueError:  # no parallel region has run yet: the choice is still open
        numba.config.THREADING_LAYER = "workqueue"
        return
    if layer == "omp":
        raise RuntimeError(
            "spikey.export.to_nest: numba's threads already run on OpenMP in this process, "
            "and NEST's own OpenMP runtime crashes beside them. Set "
            "NUMBA_THREADING_LAYER=workqueue before starting Python, or run NEST in another "
            "process."
        )


def import_nest():
    """Import NEST quietly, or raise an ImportError saying how to install it."""
    _keep_numba_off_openmp()
    os.environ.setdefault("PYNEST_QUIET", "1")
    try:
        import nest
    except ImportError as err:
        raise ImportError(
            "spikey.export.to_nest needs NEST: pip install 'spikey-snn[crosscheck]' "
            f"(nest-simulator from PyPI) ({err})"
        ) from err
    try:
        nest.verbosity = nest.VerbosityLevel.ERROR
    except AttributeError:  # older NEST
        nest.set_verbosity("M_ERROR")
    return nest


def to_nest(net, *, threads: int = 1, deliver_interval_ms: int = 1000, relay: bool = True):
    """Build ``net``'s network in NEST; returns a :class:`NestNetwork` to run.

    Parameters
    ----------
    net : IzhNetwork
        A fresh network (or a quiescent one, see :func:`~spikey.export.plan.check_exportable`).
        With ``net.plasticity = False`` its present weights are exported frozen.
    threads : int
        NEST's ``local_num_threads``.
    deliver_interval_ms : int
        The volume transmitter's delivery interval (plastic networks): every plastic synapse
        is brought up to date this often; the weights read back are those of the last
        delivery or presynaptic spike (a run of a multiple of it ends on one).
    relay : bool
        Route plastic synapses of delay d > 1 through a relay (pre -> parrot, d - 1 ms;
        parrot -> post, 1 ms), as described in the module docstring.

    Returns
    -------
    NestNetwork
    """
    check_exportable(net, _TARGET)
    for key, value, lo in (
        ("threads", threads, 1),
        ("deliver_interval_ms", deliver_interval_ms, 1),
    ):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < lo:
            raise export_error(_TARGET, key, repr(value), f"an integer >= {lo}")
    return NestNetwork(net, int(threads), int(deliver_interval_ms), bool(relay))


class NestNetwork:
    """A spikey network built in NEST (make it with :func:`to_nest`).

    ``run(duration_ms, stimuli, rewards)`` takes and returns what ``IzhNetwork.run`` does;
    :meth:`weights` reads the weights back in spikey's storage order. ``build_s`` is the
    construction time in seconds, ``simulate_s`` the time spent in ``nest.Simulate`` (the
    input replay and loading the generators excluded).
    """

    def __init__(self, net, threads, deliver_interval_ms, relay):
        nest = import_nest()
        t_start, mb_start = time.perf_counter(), resident_mb()
        self._nest = nest
        self.n = net.n
        self.t = net.t
        self.plastic_run = bool(net.plasticity)
        self.threads = threads
        self._t0 = net.t  # NEST's clock starts at 0
        self._replay = InputReplay(net)
        self._held = (np.zeros(0, np.int64), np.zeros(0, np.int32))
        self.simulate_s = 0.0  # wall seconds inside nest.Simulate, all runs
        self.prepare_cpu_s = 0.0  # CPU seconds of the last run's input replay and loading
        nest.ResetKernel()
        nest.set(resolution=1.0, local_num_threads=threads, print_time=False)
        _live["handle"] = self
        abcd = np.stack([net.a, net.b, net.c_reset, net.d_reset], axis=1)
        mapping = dopamine_mapping(net)
        self.mapping = mapping
        self.neurons = nest.Create("izhikevich", net.n)
        self._gid0 = int(self.neurons.global_id if net.n == 1 else self.neurons[0].global_id)
        # this rank's neurons (all of them without MPI) and their spikey indices
        self._local = _local_nodes(nest, self.neurons)
        self._local_idx = np.asarray(self._local.tolist(), dtype=np.int64) - self._gid0
        at = self._local_idx
        self._local.set(
            a=abcd[at, 0],
            b=abcd[at, 1],
            c=abcd[at, 2],
            d=abcd[at, 3],
            V_m=np.array(net.v, dtype=float)[at],
            U_m=np.array(net.u, dtype=float)[at],
            V_th=30.0,
            consistent_integration=False,
            I_e=0.0,
            tau_minus=mapping.tau_minus,
        )
        self.generators = nest.Create("spike_generator", net.n)
        gen0 = int(self.generators.global_id if net.n == 1 else self.generators[0].global_id)
        self._local_gens = _local_nodes(nest, self.generators)
        self._local_gen_idx = np.asarray(self._local_gens.tolist(), dtype=np.int64) - gen0
        nest.Connect(
            self.generators,
            self.neurons,
            "one_to_one",
            syn_spec={"synapse_model": "static_synapse", "weight": 1.0, "delay": 1.0},
        )
        self.recorder = nest.Create("spike_recorder")
        nest.Connect(self.neurons, self.recorder)
        t_mid, mb_mid = time.perf_counter(), resident_mb()
        self._connect(net, mapping, deliver_interval_ms, relay)
        self.build_s = time.perf_counter() - t_start
        #: seconds and resident MiB of the two stages: neurons with their input generators
        #: (NEST keeps ~30 kB per generator connection), then the synapses (and relays)
        self.stages = {
            "neurons_and_input": (t_mid - t_start, mb_mid - mb_start),
            "synapses": (time.perf_counter() - t_mid, resident_mb() - mb_mid),
        }

    # ----------------------------------------------------------------- construction
    def _connect(self, net, mapping, deliver_interval_ms, relay):
        nest = self._nest
        syn = net.syn
        w = net.weights()
        live = delivering(net)
        learn = syn.plastic & self.plastic_run
        self._syn = (syn.pre, syn.post, syn.delay, w, learn, live)  # the table is not copied
        static = live & ~learn
        gid = self._gid0 + np.arange(net.n)
        if static.any():
            nest.Connect(
                gid[syn.pre[static]],
                gid[syn.post[static]],
                "one_to_one",
                syn_spec={
                    "synapse_model": "static_synapse",
                    "weight": w[static],
                    "delay": syn.delay[static].astype(float),
                },
            )
        self.n_relays = 0
        self.vt = None
        self._reward_gen = None
        if not learn.any():
            return
        self.vt = nest.Create(
            "volume_transmitter", params={"deliver_interval": deliver_interval_ms}
        )
        nest.CopyModel(
            "stdp_dopamine_synapse",
            "spikey_dopamine",
            {
                "volume_transmitter": self.vt,
                "tau_n": mapping.tau_n,
                "tau_c": mapping.tau_c,
                "tau_plus": mapping.tau_plus,
                "A_plus": mapping.a_plus,
                "A_minus": mapping.a_minus,
                "b": mapping.b,
                "Wmin": mapping.w_min,
                "Wmax": mapping.w_max,
            },
        )
        use = live & learn
        pre, post, delay = syn.pre[use], syn.post[use], syn.delay[use].astype(np.int64)
        src = gid[pre]
        if relay:
            far = delay > 1
            pair = pre[far].astype(np.int64) * 128 + delay[far]
            groups, which = np.unique(pair, return_inverse=True)
            if groups.size:
                parrots = nest.Create("parrot_neuron", groups.size)
                p0 = int(parrots[0].global_id)
                nest.Connect(
                    gid[groups // 128],
                    p0 + np.arange(groups.size),
                    "one_to_one",
                    syn_spec={
                        "synapse_model": "static_synapse",
                        "weight": np.ones(groups.size),
                        "delay": (groups % 128 - 1).astype(float),
                    },
                )
                src = src.copy()
                src[far] = p0 + which
                delay = np.where(far, 1, delay)
                self.n_relays = int(groups.size)
        nest.Connect(
            src,
            gid[post],
            "one_to_one",
            syn_spec={
                "synapse_model": "spikey_dopamine",
                "weight": w[use],
                "delay": delay.astype(float),
            },
        )
        self._plastic_key = (_key(src, gid[post], delay), np.flatnonzero(use))
        releasing = release_events(net, _TARGET)
        if releasing.size:
            nest.Connect(gid[releasing], self.vt)
        self._reward_gen = nest.Create("spike_generator")  # a device may not reach the
        reward_relay = nest.Create("parrot_neuron")  # volume transmitter directly
        nest.Connect(self._reward_gen, reward_relay)
        nest.Connect(reward_relay, self.vt)

    # ----------------------------------------------------------------- running
    def run(self, duration_ms: int, stimuli=None, rewards=None) -> Spikes:
        """Advance ``duration_ms`` ms; returns this run's spikes (absolute ms ``t``, neuron
        ``i``; time-ordered, by neuron within a ms), as ``IzhNetwork.run`` does.

        ``stimuli`` = (t, neuron, amount), ``rewards`` = (t, amount) or t, relative to now;
        rewards must be whole multiples of the network's ``reward_amount``.
        """
        if _live["handle"] is not self:
            raise export_error(
                _TARGET,
                "run",
                "a handle whose NEST kernel was reset",
                "the latest to_nest() handle",
            )
        if (
            isinstance(duration_ms, bool)
            or not isinstance(duration_ms, (int, np.integer))
            or duration_ms < 0
        ):
            raise export_error(
                _TARGET, "run duration_ms", repr(duration_ms), "an integer number of ms >= 0"
            )
        dur = int(duration_ms)
        if dur == 0:
            return Spikes(np.zeros(0, np.int64), np.zeros(0, np.int32))
        nest = self._nest
        c_prep = time.process_time()
        stimuli = checked_stimuli(stimuli, dur, self.n, _TARGET)
        block = self._replay.block(dur, stimuli)
        self._load_input(block)
        self._load_rewards(rewards, dur)
        self._local.I_e = block.first[self._local_idx]  # a generator cannot reach ms 1
        self.prepare_cpu_s = time.process_time() - c_prep
        t_sim = time.perf_counter()
        nest.Simulate(1.0)
        self._local.I_e = 0.0
        if dur > 1:
            nest.Simulate(float(dur - 1))
        self.simulate_s += time.perf_counter() - t_sim
        ev = self.recorder.get("events")
        self.recorder.n_events = 0
        times, senders = _gather(nest, ev["times"], ev["senders"])  # all ranks' (MPI)
        t = np.rint(np.asarray(times, dtype=float)).astype(np.int64) + self._t0
        i = (np.asarray(senders, dtype=np.int64) - self._gid0).astype(np.int32)
        t = np.concatenate([self._held[0], t])
        i = np.concatenate([self._held[1], i])
        end = self.t + dur
        later = t >= end  # stamped at the end of the last step: spikey reports it next run
        self._held = (t[later], i[later])
        t, i = t[~later], i[~later]
        order = np.lexsort((i, t))
        self.t = end
        return Spikes(t[order], i[order])

    def _load_input(self, block):
        """Generator spikes for ms 1.. of the block (stamp = the ms whose update they reach)."""
        later = block.k > 0
        k, i, a = block.k[later], block.i[later], block.a[later]
        bounds = np.searchsorted(i, np.arange(self.n + 1))
        now = self.t - self._t0
        params = []
        for j in self._local_gen_idx:  # this rank's generators (all without MPI)
            lo, hi = bounds[j], bounds[j + 1]
            params.append(
                {"spike_times": (now + k[lo:hi]).astype(float), "spike_weights": a[lo:hi].copy()}
            )
        if params:
            self._local_gens.set(params)

    def _load_rewards(self, rewards, dur):
        if rewards is None:
            return
        if self.vt is None:
            return  # frozen weights: dopamine changes nothing
        t, a = checked_rewards(rewards, dur, self.mapping.unit, _TARGET)
        m = multiplicities(a, self.mapping.unit, _TARGET)
        keep = m > 0
        order = np.argsort(t[keep], kind="stable")
        now = self.t - self._t0
        # spikey adds a reward at the end of its ms k; through the relay NEST's trace takes it
        # at the end of ms k + 1 (k + 2 for k = 0: a generator cannot fire in the first step)
        self._reward_gen.set(
            spike_times=(now + np.maximum(t[keep][order], 1)).astype(float),
            spike_multiplicities=m[keep][order].astype(np.int64),
        )

    # ----------------------------------------------------------------- reading back
    def weights(self) -> np.ndarray:
        """All weights in spikey's storage order: frozen ones as exported, plastic ones as
        NEST holds them now (a shadowed twin reads its delivering twin's weight)."""
        pre, post, delay, w, learn, live = self._syn
        out = w.copy()
        if self.vt is None:
            return out
        nest = self._nest
        conns = nest.GetConnections(synapse_model="spikey_dopamine")
        got = conns.get(["source", "target", "delay", "weight"]) if len(conns) else None
        if got is None or np.ndim(got["source"]) == 0:  # none or one connection on this rank
            got = {k: np.atleast_1d(got[k]) if got else np.zeros(0) for k in _CONN_KEYS}
        src, tgt, dly, nest_w = _gather(nest, *(got[k] for k in _CONN_KEYS))  # all ranks'
        nest_key = _key(
            np.asarray(src, dtype=np.int64),
            np.asarray(tgt, dtype=np.int64),
            np.rint(np.asarray(dly, dtype=float)).astype(np.int64),
        )
        nest_w = np.asarray(nest_w, dtype=float)
        key, idx = self._plastic_key
        a = np.argsort(nest_key, kind="stable")
        b = np.argsort(key, kind="stable")
        if not np.array_equal(nest_key[a], key[b]):
            raise RuntimeError("export to NEST: NEST's plastic connections differ from those built")
        out[idx[b]] = nest_w[a]
        twins = learn & ~live
        if twins.any():  # a shadowed twin reads the weight of its group's delivering twin
            group = (pre.astype(np.int64) * 128 + delay) * (1 << 32) + post
            heads = np.flatnonzero(learn & live)
            order = np.argsort(group[heads])
            at = np.searchsorted(group[heads][order], group[twins])
            out[twins] = out[heads[order][at]]
        return out


_CONN_KEYS = ("source", "target", "delay", "weight")


def _local_nodes(nest, nodes):
    """This rank's part of ``nodes`` (all of them without MPI). NEST warns that code using
    local nodes may desynchronise the ranks; here each rank only sets its own nodes' values."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", r"\s*GetLocalNodeCollection", UserWarning)
        return nest.GetLocalNodeCollection(nodes)


def _gather(nest, *arrays):
    """The arrays of every MPI rank, concatenated in rank order (as given with one rank)."""
    ranks = nest.GetKernelStatus("num_processes")
    if ranks == 1:
        return arrays
    from mpi4py import MPI

    comm = MPI.COMM_WORLD
    return tuple(np.concatenate(comm.allgather(np.asarray(a))) for a in arrays)


def _key(src, tgt, delay) -> np.ndarray:
    return (
        (np.asarray(src, np.int64) << 32)
        + (np.asarray(tgt, np.int64) << 8)
        + np.asarray(delay, np.int64)
    )
