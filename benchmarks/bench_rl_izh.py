"""The Izhikevich / DA-STDP actor-critic on CartPole-v1, measured beside the escape-noise one.

    python benchmarks/bench_rl_izh.py                         # seeds 0-4, 300 episodes
    python benchmarks/bench_rl_izh.py --seeds 0-9 --max-episodes 1000
    python benchmarks/bench_rl_izh.py --quick --set lr_actor=0.5
    python benchmarks/bench_rl_izh.py --efference-probe --seeds 0-4   # seconds
    python benchmarks/bench_rl_izh.py --efference-probe --set efference_gap=100

Each seed is one job of ``spikey run rl.cartpole-izh`` (one process at a time, one core):
train (two-stage stop rule at 475), then 100 frozen evaluation episodes on
``env_seed(seed, "eval", k)`` with the network's own stochastic choice. The same seeds run
again with ``learning_rate=0`` (the control: no dopamine reaches a synapse). The last
columns are the escape-noise agent's numbers (``rl.cartpole``, docs/rl.md, measured under
load on the same machine).
"""

from __future__ import annotations

import argparse

#: rl.cartpole (escape-noise actor-critic, the preset with 8x8 conjunctive grids), the
#: CartPole table of docs/rl.md: seed -> (eval mean, training episodes)
ESCAPE_NOISE = {0: (487.0, 328), 1: (481.7, 321), 2: (492.3, 448), 3: (494.4, 511),
                4: (486.3, 347), 5: (483.3, 441), 6: (489.5, 374), 7: (481.4, 467),
                8: (499.7, 493), 9: (498.3, 517)}  # fmt: skip


def run_rows(seeds, config, quick):
    """{seed: metrics} of one ``rl.cartpole-izh`` job per seed (one worker)."""
    from spikey.runner.core import run

    summary = run("rl.cartpole-izh", seeds, config, quick=quick, workers=1, progress=False)
    rows = {}
    for o in summary["outcomes"]:
        if o.result is None:
            print(f"  seed {o.job.seed}: FAILED ({o.error})")
            continue
        rows[o.job.seed] = o.result.metrics
    return rows


def efference_probe(seeds, overrides: dict) -> None:
    """Print, per seed and sign of a terminal reward (the raw reward as dopamine), the summed
    change of the chosen and of the other population's input weights after one game step of
    the ``rl.cartpole-izh`` network (its keys with ``overrides``, as ``--set``): what the
    signed efference copy does to each."""
    import gymnasium as gym
    import numpy as np

    from spikey.experiments import registry
    from spikey.experiments.rl import izh

    config = registry.get("rl.cartpole-izh").resolve(dict(overrides, dopamine="reward"))
    env = gym.make(config["env"])
    obs = np.array([0.0, 0.5, 0.02, -0.5])
    print("  seed  reward  chosen dw  other dw  other / chosen")
    for seed in seeds:
        for r in (30.0, -30.0):
            net = izh._build(env, config, np.random.SeedSequence(seed))
            net.train()
            net.reset()
            w0 = net.actor_weights()
            a = net.tick(obs)
            net.reward(obs, a, obs, r, terminated=True)
            net.reset()
            dw = (net.actor_weights() - w0).reshape(w0.shape[0], net.n_actions, -1).sum(axis=(0, 2))
            other = np.delete(dw, a).sum()
            print(f"  {seed:4d}  {r:6.1f}  {dw[a]:9.2f}  {other:8.2f}  {other / dw[a]:14.2f}")


def main(argv=None) -> None:
    """Print per-seed evaluation means, episodes, seconds, the control and the comparison."""
    from spikey.runner.cli_run import parse_sets
    from spikey.runner.core import parse_seeds

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", default="0-4")
    ap.add_argument("--max-episodes", type=int, default=300)
    ap.add_argument("--quick", action="store_true", help="100 episodes, 20 evaluation episodes")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    ap.add_argument("--no-control", action="store_true")
    ap.add_argument("--efference-probe", action="store_true",
                    help="only the chosen/other weight change after one rewarded step")  # fmt: skip
    args = ap.parse_args(argv)
    seeds = parse_seeds(args.seeds)
    if args.efference_probe:
        efference_probe(seeds, parse_sets(args.set))
        return
    # --set values stay strings: the experiment converts them to its defaults' types
    config = {"max_episodes": args.max_episodes} if not args.quick else {}
    config.update(parse_sets(args.set))
    rows = run_rows(seeds, config, args.quick)
    control = (
        {} if args.no_control else run_rows(seeds, dict(config, learning_rate=0.0), args.quick)
    )
    print(f"rl.cartpole-izh {config} {'(quick)' if args.quick else ''}")
    print(
        "  seed  eval mean  median  train eps  train s  eval s  random | lr=0 | escape-noise (eps)"
    )
    for seed, m in rows.items():
        c = control.get(seed, {}).get("eval_mean_return", float("nan"))
        e = ESCAPE_NOISE.get(seed, (float("nan"), 0))
        print(
            f"  {seed:4d}  {m['eval_mean_return']:9.1f}  {m['eval_median_return']:6.1f}  "
            f"{m['train_episodes']:9d}  {m['train_seconds']:7.1f}  {m['eval_seconds']:6.1f}  "
            f"{m['random_mean_return']:6.1f} | {c:5.1f} | {e[0]:6.1f} ({e[1]})"
        )
    if rows:
        means = [m["eval_mean_return"] for m in rows.values()]
        print(f"  {sum(v >= 475 for v in means)} of {len(means)} seeds reach 475; "
              f"best {max(means):.1f}, mean {sum(means) / len(means):.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
