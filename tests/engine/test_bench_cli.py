"""``spikey bench`` refuses bad input with a clear message before allocating anything."""

import pytest

from spikey.cli import main
from spikey.engine.params import physical_memory_bytes
from spikey.models import izhikevich2007 as izh


@pytest.mark.parametrize(
    "args,needle",
    [
        (["--neurons", "100000000000"], "--neurons"),
        (["--neurons", "-5"], "--neurons"),
        (["--neurons", "1.5"], "whole number of neurons"),
        (["--seconds", "nan"], "--seconds"),
        (["--seconds", "-1"], "model seconds"),
        (["--seconds", "1e12"], "model seconds"),
        (["--repeats", "0"], "--repeats"),
        (["--seed", "-2"], "--seed"),
    ],
)
def test_bad_arguments_are_usage_errors(args, needle, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["bench", "izhikevich2007", *args])
    assert exit_info.value.code == 2
    assert needle in capsys.readouterr().err


@pytest.mark.parametrize("neurons,needle", [("100000000", "32-bit"), ("20000000", "memory")])
def test_networks_too_big_are_refused_before_allocation(neurons, needle, capsys):
    # 1e8 neurons x 100 synapses overflow 32-bit indices; 2e7 need about 200 GiB
    if needle == "memory":
        if (physical_memory_bytes() or 0) > 150 * 2**30:
            pytest.skip("this machine has enough memory for 2e7 neurons")
    assert main(["bench", "izhikevich2007", "--neurons", neurons]) == 2
    err = capsys.readouterr().err
    assert err.startswith("spikey bench: izhikevich engine:") and needle in err


def test_engine_refuses_an_oversized_network_before_allocating():
    with pytest.raises(ValueError, match="n_exc \\+ n_inh"):
        izh.build("izhikevich2007", n_exc=10**9, n_inh=0)


def test_bench_runs(capsys):
    assert main(["bench", "izhikevich2007", "--seconds", "0.2", "--neurons", "200"]) == 0
    assert "real-time factor" in capsys.readouterr().out
