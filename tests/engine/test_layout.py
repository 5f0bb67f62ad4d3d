"""The engine's layout stays small enough to change (issue 20): one registry of engines, each
engine module giving the same protocol, a network class of at most 25 methods, no function in
``spikey/engine`` over 120 lines; and a fourth engine needs only its module and one line."""

import ast
import types
from pathlib import Path

import numpy as np
import pytest

import spikey
from spikey.engine import izh
from spikey.engine.izh import dense
from spikey.models import izhikevich2007 as build_izh

ENGINE_DIR = Path(spikey.__file__).parent / "engine"
PROTOCOL = ("State", "THREADED", "initial_state", "advance", "weights", "eligibility")
PROTOCOL += ("set_weights",)


@pytest.mark.parametrize("name", list(izh.ENGINES))
def test_every_registered_engine_gives_the_protocol(name):
    module = izh.ENGINES[name]
    missing = [k for k in PROTOCOL if not hasattr(module, k)]
    assert not missing, f"engine {name!r} lacks {missing}"
    assert hasattr(module.State, "_asdict") and "v" in module.State._fields


def _functions(tree):
    return [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]


def test_no_engine_function_is_over_120_lines_and_the_network_has_at_most_25_methods():
    long = []
    for path in sorted(ENGINE_DIR.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        long += [
            f"{path.name}:{f.name} ({f.end_lineno - f.lineno + 1})"
            for f in _functions(tree)
            if f.end_lineno - f.lineno + 1 > 120
        ]
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.name == "IzhNetwork":
                methods = [c.name for c in node.body if isinstance(c, ast.FunctionDef)]
                assert len(methods) <= 25, methods
    assert not long


def test_a_fourth_engine_is_one_module_and_one_registration(monkeypatch):
    # a new engine: the dense engine's state and accessors, its own advance (here: dense's)
    calls = []

    def advance(model, state, t0, n_ms, plastic_on, io, bounds):
        calls.append(n_ms)
        return dense.advance(model, state, t0, n_ms, plastic_on, io, bounds)

    fourth = types.ModuleType("fourth")
    fourth.__dict__.update({k: getattr(dense, k) for k in PROTOCOL if k != "advance"})
    fourth.advance = advance
    monkeypatch.setitem(izh.ENGINES, "fourth", fourth)  # the registration line
    a = build_izh.build("izhikevich2007", seed=1, engine="fourth", n_exc=40, n_inh=10)
    b = build_izh.build("izhikevich2007", seed=1, engine="dense", n_exc=40, n_inh=10)
    sa, sb = a.run(300), b.run(300)
    assert calls == [300] and sa.t.size > 0 and np.array_equal(sa.t, sb.t)
    assert np.array_equal(a.weights(), b.weights())
    assert build_izh.restore(a.checkpoint()).engine == "fourth"


def test_the_old_state_dict_is_a_deprecated_read_and_files_are_format_3(tmp_path):
    net = build_izh.build("izhikevich2007", seed=1, n_exc=40, n_inh=10)
    net.run(100, rewards=[50])
    with pytest.warns(DeprecationWarning, match="state is private"):
        old = net.state
    assert old["t"] == 100 and old["d"] == net.d and old["acc"] == net._state.scal[1]
    assert np.array_equal(old["v"], net.v) and net.spikes_in_flight == int(old["fired_cnt"].sum())
    ck = net.checkpoint()
    assert (
        ck["version"] == 3
        and ck["t"] == 100
        and set(ck["state"])
        == set(net._state._fields)
        - {
            "noise0",
            "noise1",
        }
    )
    back = build_izh.restore(net.save_checkpoint(tmp_path / "ck"))
    a, b = net.run(200), back.run(200)
    assert np.array_equal(a.t, b.t) and np.array_equal(net.weights(), back.weights())
