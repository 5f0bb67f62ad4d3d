"""Games: environments a network plays, with the original Spikey's 4-tuple API.

``RL`` is the template; ``Logic`` (AND/OR/XOR), ``RandState`` and ``CartPole`` are
built in. ``from_gymnasium`` / ``to_gymnasium`` adapt between spikey games and
gymnasium environments (gymnasium is an optional extra, imported on use).
"""

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
