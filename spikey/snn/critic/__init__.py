"""Critics: populations whose activity estimates the value of a state."""

from spikey.snn.critic.spiking import SpikingCritic

__all__ = ["SpikingCritic"]
