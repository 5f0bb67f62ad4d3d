"""Plasticity rules."""
from spikey.snn.synapse import template
from spikey.snn.synapse.rlstdp import LTP, RLSTDP
from spikey.snn.synapse.template import RLSynapse, Synapse

__all__ = ["LTP", "RLSTDP", "RLSynapse", "Synapse", "template"]
