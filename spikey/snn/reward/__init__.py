"""Rewarders. ``reward.template.Reward`` (also ``reward.Reward``) is the base users subclass."""

from spikey.snn.reward import template
from spikey.snn.reward.match_expected import MatchExpected
from spikey.snn.reward.template import Reward

__all__ = ["MatchExpected", "Reward", "template"]
