import pytest

from spikey.engine.params import resolve
from spikey.module import ConfigError
from spikey.replicate import plan_jobs


def test_unknown_set_key_is_refused_with_the_known_ones():
    with pytest.raises(SystemExit, match=r"--set windw_ms: no experiment .* window_ms"):
        plan_jobs(quick=True, sets={"windw_ms": "10"})


def test_known_set_key_reaches_the_experiments_that_have_it():
    jobs = plan_jobs(quick=True, only="fig1", sets={"window_ms": "10"})
    assert jobs and all(job.config["window_ms"] == 10 for _, _, job in jobs)


def test_engine_parameter_errors_are_config_errors():
    with pytest.raises(ConfigError, match="tau"):
        resolve("izhikevich2007", tau_c=-1.0)
