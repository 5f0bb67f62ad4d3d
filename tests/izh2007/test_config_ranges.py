"""Out-of-range protocol keys are refused before any network is built, naming the key."""

import pytest

from spikey.experiments import registry
from spikey.module import ConfigError


@pytest.mark.parametrize(
    "experiment, key, value",
    [
        ("izh2007.fig1", "duration_s", 0),  # shorter than the final averaging window
        ("izh2007.fig1", "final_window_s", 0),
        ("izh2007.fig3", "control_change_max", -1.0),  # a band with lo > hi can never pass
        ("izh2007.fig3", "control_gain_max", float("nan")),
        ("izh2007.fig4", "us_vta_weight", -1.0),  # an inhibitory US cannot drive the VTA
        ("izh2007.fig4", "us_vta_weight", 9.0),  # above the engine's w_max
        ("izh2007.fig3-rpe", "critic_rate", 0.0),
        ("izh2007.fig2", "chunk_ms", 0),  # divided by zero in the chunk loop
        ("izh2007.fig2", "chunk_ms", -1),  # ran no chunk at all and judged empty logs
        ("izh2007.fig2", "chunk_ms", 700),  # would miss every 60 s snapshot but the last
        ("izh2007.fig2", "snapshot_s", 0),
    ],
)
def test_out_of_range_key_is_refused(experiment, key, value):
    module = experiment.removesuffix("-rpe")  # the extension is Fig. 3's code
    # NaN for a finite default is refused already by registry.coerce ("experiment 'X': ...")
    with pytest.raises(ConfigError, match=rf"{module}'?: key '{key}' got"):
        registry.get(experiment)({key: value}, 0)
