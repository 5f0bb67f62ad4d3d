import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from spikey.viz import (
    plot_state_rates,
    print_common_action,
    print_rates,
    spike_raster,  # noqa: E402
    state_action_counts,
    state_transition_matrix,
)


def _logs(seed=0, episodes=3, steps=40, n_states=5):
    rng = np.random.default_rng(seed)
    states = rng.integers(n_states, size=(episodes, steps))
    inrates = rng.random((episodes, steps)) * 0.05
    outrates = rng.random((episodes, steps))
    actions = rng.integers(2, size=(episodes, steps))
    return states, inrates, outrates, actions


def test_print_rates_format_and_values(capsys):
    states, inrates, outrates, _ = _logs()
    print_rates(
        step_inrates=inrates.tolist(),
        step_outrates=outrates.tolist(),
        step_states=states.tolist(),
        observation_space=list(range(6)),
    )
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 6
    for state, line in enumerate(lines[:5]):
        mask = states[-1] == state
        assert line == f"{state}: {inrates[-1][mask].mean():.2f} -> {outrates[-1][mask].mean():.2f}"
    assert lines[5] == "5: nan -> nan"  # never visited


def test_print_rates_over_chosen_and_ragged_episodes(capsys):
    states, inrates, outrates, _ = _logs(seed=1)
    # episode 1 ended early (done): ragged lists are fine
    s = [states[0].tolist(), states[1, :17].tolist(), states[2].tolist()]
    i = [inrates[0].tolist(), inrates[1, :17].tolist(), inrates[2].tolist()]
    o = [outrates[0].tolist(), outrates[1, :17].tolist(), outrates[2].tolist()]
    print_rates(
        step_inrates=i,
        step_outrates=o,
        step_states=s,
        observation_space=[3],
        precision=4,
        episode=None,
    )
    all_s, all_i, all_o = (np.concatenate(x) for x in (s, i, o))
    mask = all_s == 3
    assert capsys.readouterr().out == f"3: {all_i[mask].mean():.4f} -> {all_o[mask].mean():.4f}\n"
    print_rates(
        step_inrates=i, step_outrates=o, step_states=s, observation_space=[3], episode=[0, 1]
    )
    mask = np.concatenate(s[:2]) == 3
    expect = (
        f"3: {np.concatenate(i[:2])[mask].mean():.2f} -> {np.concatenate(o[:2])[mask].mean():.2f}\n"
    )
    assert capsys.readouterr().out == expect


def test_print_rates_tuple_states(capsys):
    space = [(a, b) for a in (False, True) for b in (False, True)]
    rng = np.random.default_rng(2)
    idx = rng.integers(4, size=30)
    states = [[space[k] for k in idx]]
    outrates = [rng.random(30).tolist()]
    print_rates(
        step_inrates=outrates, step_outrates=outrates, step_states=states, observation_space=space
    )
    lines = capsys.readouterr().out.splitlines()
    for k, line in enumerate(lines):
        m = np.asarray(outrates[0])[idx == k].mean()
        assert line == f"{space[k]}: {m:.2f} -> {m:.2f}"


def test_print_common_action_format(capsys):
    states, inrates, _, actions = _logs(seed=3, n_states=4)
    actions[-1][states[-1] == 2] = 0  # state 2 always answered with action 0
    print_common_action(
        step_inrates=inrates.tolist(),
        step_actions=actions.tolist(),
        step_states=states.tolist(),
        observation_space=[0, 1, 2, 3],
    )
    lines = capsys.readouterr().out.splitlines()
    for state, line in enumerate(lines):
        mask = states[-1] == state
        taken = actions[-1][mask]
        values = sorted(set(taken.tolist()))
        counts = [int((taken == v).sum()) for v in values]
        best = values[int(np.argmax(counts))]
        counts_text = "[" + " ".join(str(c).rjust(len(str(max(counts)))) for c in counts) + "]"
        assert line == (
            f"{state}: {inrates[-1][mask].mean():.4f} -> {'AB'[best]}({best}). counts={counts_text}"
        )
    assert lines[2].endswith(f"-> A(0). counts=[{(states[-1] == 2).sum()}]")


def test_print_common_action_seed_example_line(capsys):
    # the example line: 6 visits to state 2, all answered with action 0
    print_common_action(
        step_inrates=[[0.0187] * 6],
        step_actions=[[0] * 6],
        step_states=[[2] * 6],
        observation_space=[2, 7],
        episode=0,
    )
    assert capsys.readouterr().out.splitlines() == [
        "2: 0.0187 -> A(0). counts=[6]",
        "7: nan -> -. counts=[]",
    ]
    # numpy integer actions and bool actions print as plain values
    print_common_action(
        step_inrates=[[0.1, 0.3, 0.2]],
        step_actions=[[np.int64(1), True, 1]],
        step_states=[[np.int64(4)] * 3],
        observation_space=[4],
    )
    assert capsys.readouterr().out == "4: 0.2000 -> B(1). counts=[3]\n"


def test_spike_raster_image_and_axes():
    rng = np.random.default_rng(0)
    log = (rng.random((50, 12)) < 0.2) * 1.0
    log[:, 10:] *= -1  # two inhibitory body neurons
    rewards = np.r_[np.zeros(25), np.ones(20), -np.ones(5)]
    fig, ax = plt.subplots()
    out = spike_raster(
        log, ax=ax, rewards=rewards, polarities=np.r_[np.ones(8), -np.ones(2)], n_inputs=2
    )
    assert out is fig
    image = ax.images[0].get_array()
    fired = (log != 0).T
    np.testing.assert_array_equal(image[:12, :, 0] == 1, fired)  # every spike drawn
    np.testing.assert_array_equal(image[10:12, :, 1] == 1, np.zeros((2, 50), bool))  # red
    np.testing.assert_array_equal(image[:10, :, 1] == 1, fired[:10])  # white
    strip = image[13]
    assert (strip[25:45, 1] == 1).all() and (strip[45:, 0] == 1).all() and (strip[:25] == 0).all()
    with pytest.raises(ValueError, match="2-D"):
        spike_raster(np.zeros(5))
    with pytest.raises(TypeError, match="rewards= and polarities= by keyword"):
        spike_raster(log, rewards)
    with pytest.raises(ValueError, match="polarities"):
        spike_raster(log, polarities=np.ones(3))
    plt.close("all")


def test_plot_state_rates_bar_heights():
    states, inrates, outrates, _ = _logs(seed=4)
    fig = plot_state_rates(
        outrates.tolist(),
        states.tolist(),
        [0, 1, 2, 3, 4],
        step_inrates=inrates.tolist(),
        episode=None,
        highlight=[0, 3],
    )
    ax = fig.axes[0]
    heights = [p.get_height() for p in ax.patches]
    expect_out = [outrates[states == s].mean() for s in range(5)]
    expect_in = [inrates[states == s].mean() for s in range(5)]
    np.testing.assert_allclose(heights, expect_out + expect_in)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "1", "2", "3", "4"]
    plt.close("all")


def test_count_matrices():
    states = [1, 2, 3, 5, 6, 1, 2, 1, 2, 1, 2]
    m = state_transition_matrix(states)
    uniq = sorted(set(states))
    for i, a in enumerate(uniq):
        for j, b in enumerate(uniq):
            assert m[i, j] == sum(1 for x, y in zip(states, states[1:]) if (x, y) == (a, b))
    c = state_action_counts([(0, 1), (1, 1), (0, 1), (0, 1)], [True, False, True, False])
    np.testing.assert_array_equal(c, [[1, 2], [1, 0]])
    with pytest.raises(ValueError, match="3 states but 2 actions"):
        state_action_counts([1, 2, 3], [0, 1])


def test_delay_embedding_points():
    from spikey.viz import delay_embedding

    x = np.sin(np.arange(50) * 0.3)
    fig = delay_embedding(x, 2)
    offsets = fig.axes[0].collections[0].get_offsets()
    np.testing.assert_allclose(offsets, np.column_stack([x[:-2], x[2:]]))
    fig3 = delay_embedding(x, 3, dimensions=3)
    assert fig3.axes[0].name == "3d"
    with pytest.raises(ValueError, match="lag"):
        delay_embedding(x, 0)
    with pytest.raises(ValueError, match="dimensions"):
        delay_embedding(x, 1, dimensions=4)
    plt.close("all")
