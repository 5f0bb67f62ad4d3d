"""print_rates and print_common_action on the data forms a user's loop collects:
lists of episodes, one episode as flat numpy arrays with episode=None, arrays of
episodes, vector output rates, tuple states."""

import contextlib
import io

import numpy as np

from spikey.viz import print_common_action, print_rates

inrates = [[0.1, 0.2, 0.3, 0.4], [0.5, 0.25, 0.125, 0.0625]]
outrates = [[0.01, 0.02, 0.03, 0.04], [0.05, 0.06, 0.07, 0.08]]
states = [[0, 1, 0, 2], [2, 2, 1, 0]]
actions = [[1, 0, 1, 2], [0, 0, 1, 3]]

buf = io.StringIO()
with contextlib.redirect_stdout(buf):
    print_rates(inrates, outrates, states, [0, 1, 2])
    print_rates(
        step_inrates=np.array(inrates[0]),
        step_outrates=np.array(outrates[0]),
        step_states=np.array(states[0]),
        observation_space=[0, 1, 2],
        episode=None,
        precision=3,
    )
    print_rates(np.array(inrates), np.array(outrates), np.array(states), range(3), episode=0)
    print_rates(inrates, outrates, states, [0, 1, 2], episode=[0, 1])
    print_common_action(inrates, actions, states, [0, 1, 2])
    print_common_action(
        np.array(inrates[1]), np.array(actions[1]), np.array(states[1]), [2, 0], episode=None
    )
    print_rates([[0.5, 0.6]], [[[0.1, 0.2], [0.3, 0.4]]], [[(0, 1), (1, 0)]], [(0, 1), (1, 0)])

RESULT = {"printed": buf.getvalue().splitlines()}
print(buf.getvalue())
