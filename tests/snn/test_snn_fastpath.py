"""The ahead-of-time build of the tick kernel: same numbers as the JIT kernel and the
reference, argument checks in front of it, and a built-in network that never loads numba."""

import os
import subprocess
import sys

import numpy as np
import pytest
from test_snn_kernel_reference import _case, _run

from spikey.engine import lif
from spikey.engine.lif import kernel as snn_kernel
from spikey.engine.lif import loader, types
from spikey.engine.lif.reference import snn_tick_reference


def test_argument_spec_matches_the_kernel():
    assert [(n, np.dtype(t).name, d) for n, t, d in types.ARGUMENTS] == [
        (n, np.dtype(t).name, d) for n, t, d in snn_kernel.ARGUMENTS
    ]


def _aot():
    function, kind = loader.tick_kernel()
    if kind != "aot":
        pytest.skip("no ahead-of-time kernel here (no C compiler, or SPIKEY_AOT=0)")
    return function


def _positional(fn):
    names = [n for n, _, _ in snn_kernel.ARGUMENTS]
    return lambda **kw: fn(*(kw[n] for n in names))


@pytest.mark.parametrize("neuron_kind", [0, 1])
@pytest.mark.parametrize("syn_kind", [0, 1, 2])
@pytest.mark.parametrize("window", [2, 6])
def test_ahead_of_time_kernel_equals_jit_and_reference(neuron_kind, syn_kind, window):
    aot = _positional(_aot())
    args = _case(5, neuron_kind, syn_kind, window=window, delay=1, refractory=1)
    lif.check_arguments([args[n] for n, _, _ in snn_kernel.ARGUMENTS])
    t_a, a = _run(aot, args)
    t_j, j = _run(snn_kernel.snn_tick_kernel, args)
    t_r, r = _run(snn_tick_reference, args)
    assert t_a == t_j == t_r
    for name in ("potentials", "timers", "schedule", "weights", "log", "credit_out"):
        assert np.array_equal(a[name], j[name]), name
        assert np.array_equal(a[name], r[name]), name


def test_arguments_are_checked():
    args = _case(0, 0, 2)
    good = [args[n] for n, _, _ in snn_kernel.ARGUMENTS]
    lif.check_arguments(good)
    bad = list(good)
    bad[4] = good[4].astype(np.float32)
    with pytest.raises(TypeError, match="'potentials': got float32"):
        lif.check_arguments(bad)
    bad = list(good)
    bad[10] = np.asfortranarray(good[10])
    with pytest.raises(TypeError, match="'weights'.*not C-contiguous"):
        lif.check_arguments(bad)
    bad = list(good)
    bad[1] = list(good[1])
    with pytest.raises(TypeError, match="'in_cols': got list"):
        lif.check_arguments(bad)
    with pytest.raises(TypeError, match="takes 17 arrays"):
        lif.check_arguments(good[:-1])


SEED_NETWORK = """
import sys
sys.path.insert(0, {bench!r})
import bench_seed_classical as b
game, model = b.build()
model.reset()
state = game.reset()
for _ in range(3):
    model.tick(state)
from spikey.engine.lif import tick_kernel
print(tick_kernel()[1], "numba" in sys.modules)
"""


def _fresh(env_extra):
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    code = SEED_NETWORK.format(bench=os.path.join(root, "benchmarks"))
    env = dict(os.environ, PYTHONPATH=root, **env_extra)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout.split()


def test_builtin_network_ticks_without_numba():
    _aot()
    assert _fresh({}) == ["aot", "False"]


def test_jit_only_when_asked():
    assert _fresh({"SPIKEY_AOT": "0"}) == ["jit", "True"]


def test_failed_build_falls_back_to_jit(tmp_path):
    kernels = tmp_path / "kernels"
    kernels.mkdir()
    (kernels / (loader.module_name() + ".failed")).write_text("no compiler\n")
    assert _fresh({"SPIKEY_KERNEL_DIR": str(kernels)}) == ["jit", "True"]


def test_typed_arguments_run_the_same_tick_as_the_flat_ones():
    args = _case(2, 0, 2, window=4, delay=1)
    flat = {k: v.copy() for k, v in args.items()}
    typed = {k: v.copy() for k, v in args.items()}
    trace = snn_kernel.snn_tick_kernel(*(flat[n] for n, _, _ in snn_kernel.ARGUMENTS))
    n = typed["potentials"].shape[0]
    nparams, iparams, sparams = typed["nparams"], typed["iparams"], typed["sparams"]
    params = lif.TickParams(
        *nparams, *(int(x) for x in iparams[:3]), int(iparams[3]),
        *sparams[:4], want_credit=bool(sparams[4]),
    )  # fmt: skip
    assert params.packed().iparams.tolist() == iparams.tolist()
    got = lif.run(
        lif.TickInput(typed["in_vals"], typed["in_cols"], typed["rand_fire"], typed["noise"]),
        lif.NeuronState(typed["potentials"], typed["timers"], typed["schedule"]),
        lif.SynapseState(typed["polarities"], typed["weights"], typed["live"], typed["log"]),
        params,
        lif.Scratch(typed["credit_out"], typed["work"], typed["incoming"]),
        kernel=snn_kernel.snn_tick_kernel,
    )
    assert got == trace and n == 9
    for name in ("potentials", "timers", "schedule", "weights", "log", "credit_out"):
        assert np.array_equal(typed[name], flat[name]), name


def test_the_old_import_paths_warn_and_still_work():
    import importlib
    import sys

    for old, new in (
        ("spikey.engine.snn_kernel", snn_kernel.snn_tick_kernel),
        ("spikey.engine.snn_reference", snn_tick_reference),
    ):
        sys.modules.pop(old, None)
        with pytest.warns(DeprecationWarning, match="moved to spikey.engine.lif"):
            module = importlib.import_module(old)
        assert getattr(module, new.__name__) is new
    from spikey.snn import fastpath

    with pytest.warns(DeprecationWarning, match="moved to spikey.engine.lif.loader"):
        assert fastpath.tick_kernel is loader.tick_kernel
