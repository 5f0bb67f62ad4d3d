"""The original's import spellings (spikey.input, spikey.weight.template, ...)."""

import importlib


def test_aliases_give_the_same_modules_and_classes():
    from spikey.snn.compat import install_aliases

    install_aliases()
    from spikey.weight.template import Weight

    import spikey
    from spikey.snn.weight.template import Weight as SnnWeight

    assert Weight is SnnWeight
    assert spikey.input.StaticMap is importlib.import_module("spikey.snn.input").StaticMap
    assert importlib.import_module("spikey.network").RLNetwork is spikey.RLNetwork
    assert spikey.synapse.RLSTDP is importlib.import_module("spikey.synapse.rlstdp").RLSTDP
    assert install_aliases() == []  # idempotent
