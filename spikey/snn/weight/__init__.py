"""Weight matrices."""
from spikey.snn.weight import template
from spikey.snn.weight.manual import Manual
from spikey.snn.weight.random import Random
from spikey.snn.weight.template import Weight

__all__ = ["Manual", "Random", "Weight", "template"]
