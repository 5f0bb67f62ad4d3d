"""The ahead-of-time build of the tick kernel: same numbers as the JIT kernel and the
reference, argument checks in front of it, and a built-in network that never loads numba."""

import os
import subprocess
import sys

import numpy as np
import pytest
from test_snn_kernel_reference import _case, _run

from spikey.engine import snn_kernel
from spikey.engine.snn_reference import snn_tick_reference
from spikey.snn import fastpath


def test_argument_spec_matches_the_kernel():
    assert [(n, np.dtype(t).name, d) for n, t, d in fastpath.ARGUMENTS] == [
        (n, np.dtype(t).name, d) for n, t, d in snn_kernel.ARGUMENTS
    ]


def _aot():
    function, kind = fastpath.tick_kernel()
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
    fastpath.check_arguments([args[n] for n, _, _ in snn_kernel.ARGUMENTS])
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
    fastpath.check_arguments(good)
    bad = list(good)
    bad[4] = good[4].astype(np.float32)
    with pytest.raises(TypeError, match="'potentials': got float32"):
        fastpath.check_arguments(bad)
    bad = list(good)
    bad[10] = np.asfortranarray(good[10])
    with pytest.raises(TypeError, match="'weights'.*not C-contiguous"):
        fastpath.check_arguments(bad)
    bad = list(good)
    bad[1] = list(good[1])
    with pytest.raises(TypeError, match="'in_cols': got list"):
        fastpath.check_arguments(bad)
    with pytest.raises(TypeError, match="takes 17 arrays"):
        fastpath.check_arguments(good[:-1])


SEED_NETWORK = """
import sys
sys.path.insert(0, {bench!r})
import bench_seed_classical as b
game, model = b.build()
model.reset()
state = game.reset()
for _ in range(3):
    model.tick(state)
from spikey.snn.fastpath import tick_kernel
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
    (kernels / (fastpath.module_name() + ".failed")).write_text("no compiler\n")
    assert _fresh({"SPIKEY_KERNEL_DIR": str(kernels)}) == ["jit", "True"]
