"""Plasticity rules."""

from spikey.snn.synapse import template
from spikey.snn.synapse.da_stdp import DASTDP
from spikey.snn.synapse.mstdp import MSTDP, MSTDPET
from spikey.snn.synapse.rlstdp import LTP, RLSTDP
from spikey.snn.synapse.td import ThreeFactorTD
from spikey.snn.synapse.template import RLSynapse, Synapse

__all__ = [
    "DASTDP",
    "LTP",
    "MSTDP",
    "MSTDPET",
    "RLSTDP",
    "RLSynapse",
    "Synapse",
    "ThreeFactorTD",
    "template",
]
