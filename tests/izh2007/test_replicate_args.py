import pytest

from spikey.engine.params import resolve
from spikey.module import ConfigError
from spikey.replicate import plan_jobs


def test_unknown_set_key_is_refused_with_the_known_ones():
    with pytest.raises(SystemExit, match=r"--set windw_ms: no experiment .* window_ms"):
        plan_jobs(quick=True, sets={"windw_ms": "10"})


def test_known_set_key_reaches_the_experiments_that_have_it():
    jobs = plan_jobs(quick=True, only="fig1", sets={"window_ms": "10"})
    assert jobs and all(job.config["window_ms"] == 10 for _, job in jobs)


def test_engine_parameter_errors_are_config_errors():
    with pytest.raises(ConfigError, match="tau"):
        resolve("izhikevich2007", tau_c=-1.0)


def test_seed_sets():
    from spikey.replicate import parse_seed_list, seed_set

    # the quick run too: one short run of one seed cannot carry claims about typical seeds
    assert seed_set() == [0, 1, 2] and seed_set(quick=True) == [0, 1, 2]
    assert seed_set(seeds=3, first_seed=6) == [6, 7, 8]
    assert seed_set(seed_list="9,3-5") == [3, 4, 5, 9]
    assert parse_seed_list("4") == [4]
    for bad in ("a", "5-3", "1,,2"):
        with pytest.raises(SystemExit, match="--seed-list"):
            parse_seed_list(bad)
    with pytest.raises(SystemExit, match="either"):
        seed_set(seeds=2, seed_list="1,2")
    with pytest.raises(SystemExit, match="--first-seed"):
        seed_set(first_seed=-1)


def test_plan_runs_the_first_seed_of_the_set_for_deterministic_entries():
    jobs = plan_jobs(quick=True, only="fig1-synapse,fig1", seed_list="4,7")
    seeds = {}
    for entry, job in jobs:
        seeds.setdefault(entry.label, []).append(job.seed)
    assert seeds["fig1-synapse"] == [4] and seeds["fig1"] == [4, 7]


def test_only_brings_the_control_that_a_paired_claim_compares_against():
    labels = {entry.label for entry, _ in plan_jobs(only="fig3-rpe", seeds=1)}
    assert labels == {"fig3-rpe", "fig3 no reward"}
    with pytest.raises(SystemExit, match="selects no experiment"):  # not a quick entry
        plan_jobs(only="fig3-rpe", seeds=1, quick=True)
    skipped = {
        e.label for e, _ in plan_jobs(only="fig3", seeds=1, skip="fig3 no reward", quick=True)
    }
    assert skipped == {"fig3"}  # a skipped control is not brought back (the claim then fails)


def test_every_paper_package_exposes_plan_quorum_and_report():
    from spikey.experiments.plan import PlanEntry
    from spikey.replicate import PAPERS, paper_package

    for name in PAPERS:
        pkg = paper_package(name)
        assert pkg.PLAN and all(isinstance(e, PlanEntry) for e in pkg.PLAN)
        assert len({e.label for e in pkg.PLAN}) == len(pkg.PLAN)
        assert callable(pkg.write_report)
        labels = {e.label for e in pkg.PLAN}
        assert all(label in labels for label, _ in pkg.SEED_QUORUM)
    with pytest.raises(SystemExit, match="unknown paper"):
        paper_package("nobody2099")


def test_replicate_starts_the_longest_jobs_first():
    from spikey.experiments.izh2007 import model_seconds
    from spikey.replicate import longest_first

    planned = plan_jobs(quick=False, seeds=2)
    jobs = [job for _, job in planned]
    order = longest_first(jobs)
    assert sorted(order) == list(range(len(jobs)))
    costs = [model_seconds(jobs[k].config) for k in order]
    assert costs == sorted(costs, reverse=True)
    by_label = {entry.label: model_seconds(job.config) for entry, job in planned}
    assert by_label["fig1"] == 3600
    assert by_label["fig3"] == 800 * 10  # 400 + 400 trials of 10 s
    # fig4: 720 trials of 10 s and 3 probe sessions of 4 stimuli x 20 probes, 2 s apart
    assert by_label["fig4"] == 7200 + 3 * 4 * 20 * 2
    assert by_label["fig1-synapse"] == 0.0
    # equal costs keep the plan's order (fig1 seed 0 before seed 1)
    fig1 = [k for k in order if planned[k][0].label == "fig1"]
    assert fig1 == sorted(fig1)
