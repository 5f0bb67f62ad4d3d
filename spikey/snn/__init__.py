"""The Spikey-compatible network API.

``from spikey.snn import *`` gives the part modules ``input``, ``neuron``, ``synapse``,
``weight``, ``readout``, ``reward``, ``modifier``, ``critic``, the networks ``Network``,
``RLNetwork``, ``ActiveRLNetwork``, ``ActorCriticNetwork``, ``Key``, the modifier classes and the name
``spikey`` (as the original's star import did). See :mod:`spikey.snn.network` for how
keys, randomness and the compiled tick work.
"""

import spikey  # noqa: F401  (the original's star import also gave user code the name `spikey`)
from spikey.module import Key
from spikey.snn import critic, input, modifier, neuron, readout, reward, synapse, weight
from spikey.snn.actor_critic import ActorCriticNetwork
from spikey.snn.modifier import DropOff, LinearDecay, Modifier
from spikey.snn.network import ActiveRLNetwork, Network, RLNetwork

__all__ = [
    "input",
    "neuron",
    "synapse",
    "weight",
    "readout",
    "reward",
    "modifier",
    "critic",
    "ActorCriticNetwork",
    "Network",
    "RLNetwork",
    "ActiveRLNetwork",
    "Key",
    "Modifier",
    "LinearDecay",
    "DropOff",
    "spikey",
]
