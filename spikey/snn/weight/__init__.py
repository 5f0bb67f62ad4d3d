"""Weight matrices."""

from spikey.snn.weight import template
from spikey.snn.weight.delayed import DelayedSparse
from spikey.snn.weight.manual import Manual
from spikey.snn.weight.random import Random
from spikey.snn.weight.template import Weight

__all__ = ["DelayedSparse", "Manual", "Random", "Weight", "template"]
