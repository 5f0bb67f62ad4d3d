"""Games: environments a network plays, with the original Spikey's 4-tuple API.

``RL`` is the template; ``Logic`` (AND/OR/XOR), ``RandState`` and ``CartPole`` are
built in. ``from_gymnasium`` / ``to_gymnasium`` adapt between spikey games and
gymnasium environments (gymnasium is an optional extra, imported on use).
"""

import sys

from spikey.games import cartpole as _cartpole
from spikey.games import gym_adapters as _gym_adapters
from spikey.games import logic as _logic
from spikey.games.cartpole import CartPole
from spikey.games.gym_adapters import GymnasiumGame, from_gymnasium, gym_wrapper, to_gymnasium
from spikey.games.logic import Logic, RandState, and_fn, or_fn, xor_fn
from spikey.games.template import RL

__all__ = [
    "RL",
    "Logic",
    "RandState",
    "CartPole",
    "GymnasiumGame",
    "from_gymnasium",
    "to_gymnasium",
    "gym_wrapper",
    "and_fn",
    "or_fn",
    "xor_fn",
]

# the original's module names (spikey/games/Logic.py ...), as in `from spikey.games.Logic import Logic`
for _alias, _module in (("Logic", _logic), ("CartPole", _cartpole), ("gym_wrapper", _gym_adapters)):
    sys.modules.setdefault(f"spikey.games.{_alias}", _module)
