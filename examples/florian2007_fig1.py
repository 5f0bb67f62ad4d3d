"""Florian (2007), Fig. 1: one synapse under MSTDP and MSTDPET, with spikey's RLSTDP beside.

R.V. Florian (2007) *Reinforcement learning through modulation of spike-timing-dependent
synaptic plasticity.* Neural Computation 19:1468-1502.

The original Spikey repository's ``florian2007_Fig_1.ipynb`` as a script, with the paper's
rules as Spikey parts: a presynaptic neuron fires at 5, 80, 115 and 135 ms, the
postsynaptic one at 10, 70, 110 and 140 ms; the reward is +1 for the first 100 ms and -1
after. Each synapse part is driven the way a network drives it, ``update(spike_log,
polarities)`` then ``reward(r)`` every millisecond, on a small weight object of the
notebook's kind (only ``_matrix``, ``matrix`` and ``clip()``).

Run: ``python examples/florian2007_fig1.py [--plot fig1.png]``. The registered, checked
version is ``spikey run florian2007.fig1``.
"""

import argparse

import numpy as np

from spikey.snn import synapse

PRE, POST = [5, 80, 115, 135], [10, 70, 110, 140]
LENGTH = 200


class FakeWeight:
    """The notebook's weight object: a 2 x 2 matrix with one synapse, pre (0) -> post (1)."""

    def __init__(self, w0=0.2):
        self._matrix = np.zeros((2, 2))
        self._matrix[0, 1] = w0
        self.matrix = self._matrix

    def clip(self):
        pass


def run(part_class, **keys):
    """Drive one synapse part over the protocol; the weight after every millisecond."""
    w = FakeWeight()
    part = part_class(w, n_inputs=0, n_neurons=2, **keys)
    part.reset()
    spikes = np.zeros((LENGTH, 2))
    spikes[PRE, 0] = 1.0
    spikes[POST, 1] = 1.0
    path = []
    for t in range(LENGTH):
        part.update(spikes[: t + 1], np.ones(2))
        part.reward(1.0 if t < 100 else -1.0)
        path.append(w.matrix[0, 1])
    return np.array(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--plot", help="save the three weight traces to this PNG")
    args = parser.parse_args()

    gamma, tau_z = 0.2, 25.0  # the paper's Fig. 1 values; tau+ = tau- = stdp_window = 20
    traces = {
        "MSTDP": run(synapse.MSTDP, stdp_window=20, learning_rate=gamma),
        "MSTDPET": run(synapse.MSTDPET, stdp_window=20, learning_rate=gamma, tau_z=tau_z),
        # the notebook's "Ours": learning_rate 10 * gamma / tau_z, reward applied at once
        "RLSTDP": run(
            synapse.RLSTDP, stdp_window=20, learning_rate=10 * gamma / tau_z, trace_decay=1
        ),
    }
    for name, path in traces.items():
        at = ", ".join(f"{path[t]:.4f}" for t in (9, 69, 99, 134, 199))
        print(f"{name:<8} w at 9/69/99/134/199 ms: {at}")

    if args.plot:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(8, 3))
        for name, path in traces.items():
            ax.plot(path, label=name)
        ax.axvline(100, color="0.6", linestyle="--", linewidth=0.8)
        ax.set_xlabel("time (ms)")
        ax.set_ylabel("w")
        ax.legend()
        fig.savefig(args.plot, dpi=110)
        print(f"saved {args.plot}")


if __name__ == "__main__":
    main()
