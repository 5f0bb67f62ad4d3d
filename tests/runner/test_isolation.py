"""Job isolation: a user function cannot change what a later job sees (issue 8.3).

The notebooks ran a control cell whose ``train_func`` did
``network_template.keys.update({"learning_rate": 0})`` and then a learning cell. Under Ray
Train each ``fit()`` had a fresh worker; here each user-function job gets a fresh worker on
``process`` and ``ray``, and ``serial`` puts the class back (with a warning).
"""

import os
import warnings

import numpy as np
import pytest

from spikey.runner import run_function
from spikey.runner.guard import ClassGuard, SharedStateWarning

from . import notebook_funcs

BACKENDS = ["serial", "process", "ray"]


def _ray(request):
    """The session's Ray; this test folder is not on its workers' path, so the notebook
    module travels by value (as a notebook's own cells do)."""
    ray = request.getfixturevalue("ray_local")
    cloudpickle = ray.cloudpickle
    cloudpickle.register_pickle_by_value(notebook_funcs)
    request.addfinalizer(lambda: cloudpickle.unregister_pickle_by_value(notebook_funcs))


@pytest.fixture(params=BACKENDS)
def backend(request):
    if request.param == "ray":
        _ray(request)
    return request.param


def _control_then_learn(fn, backend, **kw):
    control = run_function(fn, config={"learning_rate": 0}, backend=backend, **kw)
    assert control["passed"], control["jobs"][0]["traceback"]
    learn = run_function(fn, config={}, backend=backend, **kw)
    return control["jobs"][0]["metrics"], learn["jobs"][0]["metrics"]


def test_control_then_learn_learns_on_every_backend(backend):
    original = dict(notebook_funcs.Template.keys)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        control, learn = _control_then_learn(notebook_funcs.train_func, backend)
    assert "weight_change" in control, (control,)
    assert control["weight_change"] == 0.0 and control["learning_rate_seen"] == 0.0
    assert learn["learning_rate_seen"] == 0.1
    assert learn["weight_change"] > 10.0  # learning switched on again
    assert notebook_funcs.Template.keys.keys() == original.keys()
    assert notebook_funcs.Template.keys["learning_rate"] == 0.1  # the caller's class is intact
    shared = [w for w in caught if issubclass(w.category, SharedStateWarning)]
    if backend == "serial":  # ran here: the change was undone and reported
        assert shared and "Template.keys" in str(shared[0].message)
    else:  # ran in a fresh worker: nothing to undo here
        assert not shared


def test_closure_defined_template_travels_by_value_and_stays_isolated(backend):
    """A notebook defines the class in __main__; it travels by value (cloudpickle), and a
    reused worker would keep the unpickled, mutated class for the next job."""

    class Local(notebook_funcs.Template):
        keys = dict(notebook_funcs.Template.keys)

    def local_train(config):
        Local.keys.update(config)
        return {"lr": float(Local.keys["learning_rate"]), "pid": os.getpid()}

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SharedStateWarning)
        control, learn = _control_then_learn(local_train, backend)
    assert (control["lr"], learn["lr"]) == (0.0, 0.1)
    if backend != "serial":
        assert control["pid"] != os.getpid() and learn["pid"] != os.getpid()


@pytest.mark.parametrize("where", ["process", "ray"])
def test_many_jobs_do_not_leak_between_each_other(where, request):
    """Control and learning configs in one call, one worker: each job sees its own config."""
    if where == "ray":
        _ray(request)
    configs = [{"learning_rate": 0}, {}, {"learning_rate": 0}, {}]
    s = run_function(notebook_funcs.train_func, configs=configs, backend=where, workers=1)
    seen = [j["metrics"]["learning_rate_seen"] for j in s["jobs"]]
    assert seen == [0.0, 0.1, 0.0, 0.1]
    moved = [j["metrics"]["weight_change"] for j in s["jobs"]]
    assert moved[0] == moved[2] == 0.0 and moved[1] > 10.0 and moved[3] > 10.0


def test_reuse_workers_shares_a_worker_and_still_undoes_class_changes():
    def whoami(config):
        return {"pid": os.getpid()}

    s = run_function(whoami, seeds="0-3", backend="process", workers=1, reuse_workers=True)
    assert len({j["metrics"]["pid"] for j in s["jobs"]}) == 1
    fresh = run_function(whoami, seeds="0-3", backend="process", workers=1)
    assert len({j["metrics"]["pid"] for j in fresh["jobs"]}) == 4
    with pytest.warns(SharedStateWarning, match="Template.keys"):
        opt = run_function(
            notebook_funcs.train_func,
            configs=[{"learning_rate": 0}, {}],
            backend="process",
            workers=1,
            reuse_workers=True,
        )
    assert [j["metrics"]["learning_rate_seen"] for j in opt["jobs"]] == [0.0, 0.1]


def test_guard_sees_updates_reassignments_additions_and_arrays():
    class Part:
        keys = {"a": 1, "w": np.zeros(3)}
        names = ["x"]
        rate = 0.5

    def mutate(config):
        Part.keys["a"] = 2
        Part.keys["w"][0] = 9.0
        Part.names.append("y")
        Part.rate = 0.0
        Part.extra = [1]

    keys, names, w = Part.keys, Part.names, Part.keys["w"]
    guard = ClassGuard(mutate)
    mutate({})
    changes = guard.restore()
    assert sorted(changes) == ["Part.extra (added)", "Part.keys", "Part.names", "Part.rate"]
    assert Part.keys is keys and Part.names is names  # put back in place
    assert Part.keys["a"] == 1 and Part.names == ["x"] and Part.rate == 0.5
    assert not hasattr(Part, "extra") and np.array_equal(Part.keys["w"], np.zeros(3))
    assert ClassGuard(mutate).restore() == []  # nothing ran: nothing changed

    def pure(config):
        return {"k": dict(Part.keys)}

    g = ClassGuard(pure)
    pure({})
    assert g.restore() == [] and w is not None


class Shared:
    """A class a user's experiment changes while it runs."""

    keys = {"value": 1.0}


def _mutating_experiment(config, seed, progress):
    from spikey.experiments import Result

    seen = Shared.keys["value"]
    Shared.keys["value"] = 99.0  # what the notebooks' control cell did to its template
    return Result(metrics={"seen": seen + 0.0 * config["x"]})


@pytest.mark.parametrize("reuse", [False, True])
def test_sweep_trials_of_a_user_experiment_do_not_leak(tmp_path, reuse):
    from spikey.experiments import registry
    from spikey.runner.sweep import sweep

    registry.register("test.mutating", defaults={"x": 0.5}, metrics=["seen"], replace=True)(
        _mutating_experiment
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SharedStateWarning)
            s = sweep(
                "test.mutating",
                ["x=0:1"],
                samples=3,
                metric="seen",
                backend="process",
                workers=1,
                out=tmp_path,
                reuse_workers=reuse,
            )
    finally:
        del registry.REGISTRY["test.mutating"]
    assert [r["seen"] for r in s["trials"]] == [1.0, 1.0, 1.0]  # each trial saw the original
    assert Shared.keys["value"] == 1.0
