"""Parameters of the Izhikevich engine: defaults, neuron types, validation.

All checks happen here, in Python, before anything reaches compiled code.
"""

from __future__ import annotations

import math
import numbers
import os
import sys

from spikey.module import ConfigError

#: Classic Izhikevich (2003) neuron types: (a, b, c, d).
NEURON_TYPES = {
    "RS": (0.02, 0.2, -65.0, 8.0),  # regular spiking
    "IB": (0.02, 0.2, -55.0, 4.0),  # intrinsically bursting
    "CH": (0.02, 0.2, -50.0, 2.0),  # chattering
    "FS": (0.1, 0.2, -65.0, 2.0),  # fast spiking
    "LTS": (0.02, 0.25, -65.0, 2.0),  # low-threshold spiking
    "TC": (0.02, 0.25, -65.0, 0.05),  # thalamo-cortical
    "RZ": (0.1, 0.26, -65.0, 2.0),  # resonator
}

NOISE_MODES = ("uniform", "thalamic", "none")

#: Every engine parameter with its default (the author's Fig. 1 program, daspnet.m).
DEFAULTS = {
    # structure (used by the paper builder)
    "n_exc": 800,
    "n_inh": 200,
    "syn_per_neuron": 100,
    "max_delay": 1,  # D: delays are 1..D ms
    "inh_delay": 1,  # delay of inhibitory synapses (the 2006 network: 1 ms)
    "exc_type": "RS",
    "inh_type": "FS",
    "inh_to_exc_only": True,
    "allow_self": True,  # the author's program draws targets with replacement, self included
    "allow_duplicates": True,
    # delivery of twins (synapses of one neuron onto one target with one delay): "sum" lets each
    # deliver; "last" delivers only the last in storage order (the author's MATLAB
    # ``I(ind) = I(ind) + s`` with repeated ``ind``); all twins stay plastic either way
    "duplicates": "sum",
    # background input
    "noise": "uniform",  # "uniform" | "thalamic" | "none", or a number: uniform half-width
    "noise_amp": 6.5,  # uniform: I ~ U[-noise_amp, noise_amp] every neuron every ms
    "thalamic_amp": 20.0,  # thalamic: one random neuron gets this much each ms
    # weights
    "w_exc_init": 1.0,
    "w_inh": -1.0,
    "w_min": 0.0,
    "w_max": 4.0,
    # plasticity
    "a_plus": 0.1,
    "a_minus": 0.15,
    "tau_stdp": 20.0,  # ms; per-ms trace factor 1 - 1/tau (0.95)
    "trace_floor": 1e-300,  # an STDP trace at or below this drops to 0 (1e-300: the author's,
    # but for underflow; e.g. 1e-6 skips pairings > 270 ms apart)
    "tau_c": 1000.0,  # ms; stepped: c *= 1 - w_every/tau_c every w_every ms (0.99)
    "tau_d": 200.0,  # ms; d *= 1 - 1/tau_d every ms (0.995)
    "tonic_da": 0.002,
    "reward_amount": 0.5,
    "w_every": 10,  # ms between weight updates in stepped mode
    "rebase_ms": 4000,  # exact mode: accumulator re-based this often (plastic ms)
}

#: Both presets are the author's MATLAB programs (daspnet.m's draw with replacement; the delays
#: preset adds spnet.m's 1-20 ms delays and thalamic input), whose delivery statement is
#: ``I(ind) = I(ind) + s(...)'``: only the last of twins delivers.
PRESETS = {
    "izhikevich2007": {"duplicates": "last"},
    "izhikevich2007-delays": {"max_delay": 20, "noise": "thalamic", "duplicates": "last"},
}
DUPLICATE_RULES = ("sum", "last")

_INT_KEYS = {"n_exc", "n_inh", "syn_per_neuron", "max_delay", "inh_delay", "w_every", "rebase_ms"}
_BOOL_KEYS = {"inh_to_exc_only", "allow_self", "allow_duplicates"}
_STR_KEYS = {"exc_type", "inh_type"}
MAX_DELAY_LIMIT = 64  # the lazy kernel packs a delay in 7 bits (kernels: in_pd)
#: largest |amplitude| (mV per ms) of an input or weight: keeps v finite in float64
AMPLITUDE_LIMIT = 1e6
#: largest STDP amplitude, tonic dopamine or reward: c * d stays far from overflow
LEARNING_LIMIT = 1e6


def _bad(key, given, expected):
    return ConfigError(f"izhikevich engine: parameter '{key}' got {given!r}; expected {expected}.")


def resolve(preset: str | None = None, **overrides) -> dict:
    """The full, validated parameter dict for ``preset`` with ``overrides`` applied."""
    params = dict(DEFAULTS)
    if preset is not None:
        if not isinstance(preset, str) or preset not in PRESETS:
            raise _bad("preset", preset, f"one of {sorted(PRESETS)}")
        params.update(PRESETS[preset])
    unknown = sorted(set(overrides) - set(DEFAULTS))
    if unknown:
        raise _bad(
            unknown[0], overrides[unknown[0]], f"a known parameter ({', '.join(sorted(DEFAULTS))})"
        )
    params.update(overrides)
    if isinstance(params["noise"], numbers.Real) and not isinstance(params["noise"], bool):
        params["noise_amp"] = float(params["noise"])
        params["noise"] = "uniform"
    validate(params)
    return params


#: Peak bytes per synapse while building and running (int32 indices, float64 state, sort
#: temporaries), and per neuron and delay slot (trace history, spike ring, offsets).
BYTES_PER_SYNAPSE = 100
BYTES_PER_NEURON_SLOT = 32
MAX_TRACE_MS = 4_000_000  # longest STDP trace life (ms): the lazy kernel tabulates it
MAX_INDEX = 2**31 - 1  # neurons and synapses are indexed with 32-bit integers


def physical_memory_bytes() -> int | None:
    """Installed memory of this machine, or None where the OS does not say."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        return None


def check_size(n: int, syn_per_neuron: int, max_delay: int = 1) -> None:
    """Refuse a network that cannot be indexed or would not fit in memory, before allocating."""
    synapses = n * syn_per_neuron
    if n > MAX_INDEX or synapses > MAX_INDEX:
        raise _bad(
            "n_exc + n_inh",
            f"{n} neurons x {syn_per_neuron} synapses = {synapses} synapses",
            f"at most {MAX_INDEX} neurons and synapses (32-bit indices)",
        )
    need = synapses * BYTES_PER_SYNAPSE + n * (max_delay + 1) * BYTES_PER_NEURON_SLOT
    have = physical_memory_bytes()
    if have is not None and need > have:
        raise _bad(
            "n_exc + n_inh",
            f"{n} neurons x {syn_per_neuron} synapses (about {need / 2**30:.1f} GiB)",
            f"a network that fits in this machine's {have / 2**30:.1f} GiB of memory",
        )


def validate(p: dict) -> None:
    """Raise ValueError naming the first bad parameter."""
    for key, value in p.items():
        if key in _INT_KEYS:
            if isinstance(value, bool) or not isinstance(value, numbers.Integral):
                raise _bad(key, value, "an integer")
        elif key in _BOOL_KEYS:
            if not isinstance(value, bool):
                raise _bad(key, value, "True or False")
        elif key in _STR_KEYS:
            if not isinstance(value, str) or value not in NEURON_TYPES:
                raise _bad(key, value, f"one of {sorted(NEURON_TYPES)}")
        elif key == "duplicates":
            if not isinstance(value, str) or value not in DUPLICATE_RULES:
                raise _bad(key, value, f"one of {DUPLICATE_RULES}")
        elif key == "noise":
            if not isinstance(value, str) or value not in NOISE_MODES:
                raise _bad(key, value, f"one of {NOISE_MODES} or a number (uniform half-width)")
        else:
            if (
                isinstance(value, bool)
                or not isinstance(value, numbers.Real)
                or not math.isfinite(value)
            ):
                raise _bad(key, value, "a finite number")
    if p["n_exc"] < 0 or p["n_inh"] < 0 or p["n_exc"] + p["n_inh"] < 1:
        raise _bad("n_exc", (p["n_exc"], p["n_inh"]), "non-negative counts with n_exc + n_inh >= 1")
    if p["inh_to_exc_only"] and p["n_inh"] > 0 and p["n_exc"] == 0 and p["syn_per_neuron"] > 0:
        raise _bad("inh_to_exc_only", True, "False when there are no excitatory neurons")
    if p["syn_per_neuron"] < 0:
        raise _bad("syn_per_neuron", p["syn_per_neuron"], "an integer >= 0")
    if not 1 <= p["max_delay"] <= MAX_DELAY_LIMIT:
        raise _bad("max_delay", p["max_delay"], f"an integer in 1..{MAX_DELAY_LIMIT}")
    check_size(p["n_exc"] + p["n_inh"], p["syn_per_neuron"], p["max_delay"])
    if not 1 <= p["inh_delay"] <= p["max_delay"]:
        raise _bad("inh_delay", p["inh_delay"], f"an integer in 1..max_delay={p['max_delay']}")
    for key, floor in (("tau_stdp", 1.0), ("tau_d", 1.0), ("tau_c", float(p["w_every"]))):
        if p[key] <= floor:
            raise _bad(
                key,
                p[key],
                f"a time constant > {floor:g} ms (the per-step factor 1 - step/tau "
                "must be in (0, 1))",
            )
    if p["w_every"] < 1:
        raise _bad("w_every", p["w_every"], "an integer >= 1 (ms)")
    if p["rebase_ms"] < 1 or p["rebase_ms"] > 16000:
        raise _bad(
            "rebase_ms", p["rebase_ms"], "an integer in 1..16000 (precision of the accumulator)"
        )
    if p["w_min"] > p["w_max"]:
        raise _bad("w_min", p["w_min"], f"<= w_max={p['w_max']}")
    if not sys.float_info.min <= p["trace_floor"] < 1.0:
        # below the smallest normal double a trace may never end: a subnormal of k units
        # times 1 - 1/tau_stdp rounds back to itself when k < tau_stdp / 2, so the trace
        # table (model.trace_table) would grow until memory runs out
        raise _bad(
            "trace_floor",
            p["trace_floor"],
            f"a number in [{sys.float_info.min:g}, 1) (the smallest normal double; default 1e-300)",
        )
    # the trace lives until it falls to trace_floor: at most MAX_TRACE_MS
    life = math.log(p["trace_floor"]) / math.log1p(-1.0 / p["tau_stdp"])
    if life > MAX_TRACE_MS:
        raise _bad(
            "tau_stdp",
            p["tau_stdp"],
            f"a trace that falls to trace_floor={p['trace_floor']:g} within {MAX_TRACE_MS:g} ms "
            f"(it takes about {life:.3g} ms; raise trace_floor or shorten tau_stdp)",
        )
    for key in ("a_plus", "a_minus", "tonic_da", "noise_amp", "reward_amount"):
        if p[key] < 0:
            raise _bad(key, p[key], "a number >= 0")
    for key in ("a_plus", "a_minus", "tonic_da", "reward_amount"):
        if p[key] > LEARNING_LIMIT:  # 1e300 overflowed c * d to inf - inf = NaN weights
            raise _bad(key, p[key], f"a number <= {LEARNING_LIMIT:g}")
    for key in ("noise_amp", "thalamic_amp", "w_exc_init", "w_inh", "w_min", "w_max"):
        if abs(p[key]) > AMPLITUDE_LIMIT:
            raise _bad(key, p[key], f"a number with |value| <= {AMPLITUDE_LIMIT:g} (mV)")
