"""Cart-pole balancing (Florian 2007's corrected equations, explicit Euler steps)."""

from __future__ import annotations

from typing import Any

import numpy as np

from spikey.games.template import RL
from spikey.module import Key, config_error


class CartPole(RL):
    """Balance a pole on a cart by pushing the cart left or right.

    State ``(x, x_dot, theta, theta_dot)``; ``theta = 0`` is upright. Each step advances
    the physics by ``Tau`` seconds and returns reward 1.0 while the episode is running
    (the failing step included, as gymnasium's CartPole does); the episode ends when
    ``|x| > x_max`` or ``|theta| > theta_max``. Steps after the end return reward 0.0.
    (The original Spikey always returned reward 0.)

    Actions: a number is the force in newtons (positive pushes right); a pair ``[left,
    right]`` pushes with ``(right - left) * Force_Mag``. As in the original, a push to the
    right must stay below ``1.2 * Force_Mag``; a push to the left is not bounded.

    Parameters
    ----------
    preset : {"DEFAULT", "FREMAUX"}, default "DEFAULT"
        FREMAUX narrows the track to ``x_max = 2.5``.

    References
    ----------
    R. V. Florian, "Correct equations for the dynamics of the cart-pole system", 2007.
    """

    action_space = np.arange(-1, 1, 0.1)
    observation_space = None  # continuous; see ``observation_high``
    metadata = {"render_modes": ["human", "rgb_array"]}

    NECESSARY_KEYS = [
        Key("x_max", "Episode ends when |x| > x_max (m).", float),
        Key("theta_max", "Episode ends when |theta| > theta_max (rad).", float),
        Key("x_init_range", "[lo, hi]: initial |x| drawn uniformly, sign at random.", list),
        Key("theta_init_range", "[lo, hi]: initial |theta|, sign at random.", list),
        Key("xdot_init_range", "[lo, hi]: initial |x_dot|, sign at random.", list),
        Key("thetadot_init_range", "[lo, hi]: initial |theta_dot|, sign at random.", list),
        Key("g", "Gravity (m/s^2).", float, default=9.8),
        Key("Mass_Cart", "Cart mass (kg).", float, default=1.0),
        Key("Mass_Pole", "Pole mass (kg).", float, default=0.1),
        Key("pole_half_length", "Half the pole length (m).", float, default=0.5),
        Key("Force_Mag", "Force of one push (N).", float, default=10.0),
        Key("Tau", "Seconds per step.", float, default=0.02),
    ]
    PRESETS = {
        "DEFAULT": {
            "xdot_init_range": [-0.1, 0.1],
            "thetadot_init_range": [-0.1, 0.1],
            "x_init_range": [0.0, 0.0],
            "theta_init_range": [0.0, 0.0],
            "Tau": 0.02,
            "x_max": 4.5,
            "theta_max": 0.5 * np.pi,
        },
        "FREMAUX": {
            "xdot_init_range": [-0.1, 0.1],
            "thetadot_init_range": [-0.1, 0.1],
            "x_init_range": [0.0, 0.0],
            "theta_init_range": [0.0, 0.0],
            "Tau": 0.02,
            "x_max": 2.5,
            "theta_max": 0.5 * np.pi,
        },
    }

    def __init__(self, preset: str = "DEFAULT", **kwargs: Any):
        super().__init__(preset=preset, **kwargs)
        for name in ("x_init_range", "theta_init_range", "xdot_init_range", "thetadot_init_range"):
            rng = self.params[name]
            try:
                bounds = np.asarray(rng, dtype=float)
            except (TypeError, ValueError):
                bounds = np.array([np.nan])
            if bounds.shape != (2,) or not np.all(np.isfinite(bounds)) or bounds[0] > bounds[1]:
                raise config_error(self, name, rng, "a finite [lo, hi] pair with lo <= hi")
        for name in ("x_max", "theta_max", "Mass_Cart", "pole_half_length", "Tau", "Force_Mag"):
            if not self.params[name] > 0:
                raise config_error(self, name, self.params[name], "a number > 0")
        for name in ("g", "Mass_Cart", "Mass_Pole", "pole_half_length", "Force_Mag", "Tau"):
            if not np.isfinite(self.params[name]):
                raise config_error(self, name, self.params[name], "a finite number")
        if self.params["Mass_Pole"] < 0:
            raise config_error(self, "Mass_Pole", self.params["Mass_Pole"], "a number >= 0")
        self.observation_high = np.array(
            [self._x_max, np.finfo(np.float32).max, self._theta_max, np.finfo(np.float32).max]
        )
        self._state = None
        self._done = True
        self.steps = 0

    def _force(self, action) -> float:
        """The push in newtons for ``action``: a force, or a [left, right] pair of rates.

        As in the original, only the push to the right is bounded (below ``1.2 *
        Force_Mag``); a push to the left of any finite size is accepted (an overflow of
        the physics is still refused, in ``step``)."""
        limit = 1.2 * self._Force_Mag
        expected = f"a force in N, finite and below {limit:g}, or a [left, right] pair"
        try:
            values = np.asarray(action, dtype=float).ravel()
        except (TypeError, ValueError):
            raise config_error("CartPole.step", "action", action, expected) from None
        if values.size not in (1, 2) or not np.all(np.isfinite(values)):
            raise config_error("CartPole.step", "action", action, expected)
        if values.size == 2:
            left, right = values
            force = float(right - left) * self._Force_Mag
        else:
            force = float(values[0])
        if not force < limit:
            raise config_error("CartPole.step", "action", action, expected)
        return force

    def reset(self, seed: int | None = None) -> np.ndarray:
        """Draw an initial state (each component's size uniform in its range, sign at random)."""
        if seed is not None:
            self.seed(seed)
        values = []
        for name in ("x_init_range", "xdot_init_range", "theta_init_range", "thetadot_init_range"):
            lo, hi = self.params[name]
            values.append(self.rng.uniform(lo, hi) * self.rng.choice([-1.0, 1.0]))
        self._state = np.array(values, dtype=float)
        self._done = False
        self.steps = 0
        return self._state.copy()

    def step(self, action: Any) -> tuple[np.ndarray, float, bool, dict]:
        """Push, advance ``Tau`` seconds; return ``(state, reward, done, info)``."""
        if self._state is None:
            raise RuntimeError("CartPole.step called before reset().")
        force = self._force(action)
        g, m_c, m_p = self._g, self._Mass_Cart, self._Mass_Pole
        half, tau = self._pole_half_length, self._Tau
        total = m_c + m_p
        x, x_dot, theta, theta_dot = self._state
        with np.errstate(all="ignore"):  # an overflow is reported below, as one clear error
            sin, cos = np.sin(theta), np.cos(theta)
            temp = (force + m_p * half * theta_dot**2 * sin) / total
            theta_acc = (g * sin - cos * temp) / (half * (4.0 / 3.0 - m_p * cos**2 / total))
            x_acc = temp - m_p * half * theta_acc * cos / total
            self._state = np.array(
                [
                    x + tau * x_dot,
                    x_dot + tau * x_acc,
                    theta + tau * theta_dot,
                    theta_dot + tau * theta_acc,
                ]
            )
        if not np.all(np.isfinite(self._state)):
            keys = ("g", "Mass_Cart", "Mass_Pole", "pole_half_length", "Force_Mag", "Tau")
            given = ", ".join(f"{k}={self.params[k]!r}" for k in keys)
            raise ValueError(
                f"CartPole.step: the state overflowed to {self._state}; expected physical "
                f"sizes for the keys {given}."
            )
        was_done = self._done
        self._done = bool(
            abs(self._state[0]) > self._x_max or abs(self._state[2]) > self._theta_max
        )
        self.steps += 1
        reward = 0.0 if was_done else 1.0
        return self._state.copy(), reward, self._done, {"steps": self.steps, "force": force}

    def render(self, mode: str = "human", states: np.ndarray | None = None, ax: Any = None) -> Any:
        """Draw the cart and pole for the current state (or the last of ``states``).

        ``mode="human"`` returns a matplotlib Figure; ``"rgb_array"`` returns its pixels.
        """
        import matplotlib.pyplot as plt

        if mode not in self.metadata["render_modes"]:
            raise ValueError(
                f"CartPole.render: mode {mode!r} not supported; expected one of "
                f"{self.metadata['render_modes']}."
            )
        state = self._state if states is None else np.asarray(states)[-1]
        if state is None:
            raise RuntimeError("CartPole.render called before reset().")
        created = ax is None
        fig, ax = plt.subplots(figsize=(6, 2.5)) if created else (ax.figure, ax)
        x, theta = state[0], state[2]
        length = 2 * self._pole_half_length
        ax.plot([-self._x_max, self._x_max], [0, 0], color="0.6")
        ax.add_patch(plt.Rectangle((x - 0.25, -0.1), 0.5, 0.2, color="tab:blue"))
        ax.plot(
            [x, x + length * np.sin(theta)],
            [0, length * np.cos(theta)],
            "o-",
            lw=3,
            color="tab:orange",
        )
        ax.set_xlim(-self._x_max - 0.5, self._x_max + 0.5)
        ax.set_ylim(-length - 0.2, length + 0.2)
        ax.set_aspect("equal")
        ax.set_title(f"x={x:.2f} m, theta={theta:.2f} rad")
        if mode == "rgb_array":
            fig.canvas.draw()
            pixels = np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()
            if created:
                plt.close(fig)
            return pixels
        return fig
