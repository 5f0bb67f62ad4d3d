"""spikey: spiking neural networks that learn from reward.

``from spikey.snn import *`` gives the Spikey-compatible network API; ``spikey.run`` runs
registered experiments over seeds; ``spikey.engine`` is the compiled Izhikevich core.
"""

from spikey.module import Key, Module, load, save
from spikey.version import __version__  # one place for it: the run directory reads it too


def run(*args, **kwargs):
    """Run a registered experiment over seeds (see :func:`spikey.runner.run`)."""
    from spikey.runner import run as _run

    return _run(*args, **kwargs)


__all__ = ["Key", "Module", "load", "run", "save", "__version__"]

# The original package also answered to spikey.input, spikey.network, spikey.RLNetwork ...
from spikey.snn.compat import install_aliases as _install_aliases  # noqa: E402

_install_aliases()
