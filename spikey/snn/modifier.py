"""Modifiers: change one network parameter at every game step (e.g. a learning-rate schedule).

``param`` names the attribute, as a list (``["network", "synapses", "_learning_rate"]``)
or a dotted string (``"network.synapses._learning_rate"``); a leading ``"network"`` is
optional. The network calls ``update(network)`` once per ``tick``, before its steps.
"""

from __future__ import annotations

import math
import numbers

from spikey.module import ConfigError, Module, config_error


def _check_schedule(part, step_stop, **values):
    """``step_stop`` an int >= 1 and each value a finite number, named in the error if not."""
    if isinstance(step_stop, bool) or not isinstance(step_stop, int) or step_stop < 1:
        raise config_error(part, "step_stop", step_stop, "an int >= 1")
    for key, value in values.items():
        if (
            isinstance(value, bool)
            or not isinstance(value, numbers.Real)
            or not math.isfinite(value)
        ):
            raise config_error(part, key, value, "a finite number")


class Modifier(Module):
    """Base modifier: ``set_param(network, value)`` writes the named attribute."""

    def __init__(self, param, *_):
        super().__init__()
        if isinstance(param, str):
            param = param.split(".")
        if not isinstance(param, (list, tuple)):
            raise config_error(self, "param", param, "a list of attribute names or a dotted string")
        param = list(param)
        if not param or not all(isinstance(p, str) and p for p in param):
            raise ConfigError(
                f"{type(self).__name__}: key 'param' got {param!r}; expected a list "
                "of attribute names such as ['network', 'synapses', '_learning_rate']."
            )
        self.param = param
        self.step = 0

    @property
    def _path(self):
        return self.param[1:] if self.param[0] == "network" else self.param

    def __eq__(self, other):
        return type(self) is type(other) and self.__dict__ == other.__dict__

    __hash__ = None

    def reset(self):
        """Restart the schedule (called at the start of each episode)."""
        self.step = 0

    def get_param(self, network):
        obj = network
        for name in self._path:
            obj = getattr(obj, name)
        return obj

    def set_param(self, network, value, param=None):
        path = self._path if param is None else (param[1:] if param[0] == "network" else param)
        obj = network
        for name in path[:-1]:
            try:
                obj = getattr(obj, name)
            except AttributeError:
                raise ConfigError(
                    f"{type(self).__name__}: param {'.'.join(self.param)!r}: "
                    f"{type(obj).__name__} has no attribute {name!r}; expected a path of "
                    "existing attributes."
                ) from None
        if not hasattr(obj, path[-1]):
            raise ConfigError(
                f"{type(self).__name__}: param {'.'.join(self.param)!r}: "
                f"{type(obj).__name__} has no attribute {path[-1]!r}; expected a path of "
                "existing attributes."
            )
        setattr(obj, path[-1], value)

    def update(self, network):
        """Apply this game step's value."""
        raise NotImplementedError(f"{type(self).__name__}.update is not implemented.")


class LinearDecay(Modifier):
    """Move the parameter linearly from ``value_start`` to ``value_stop`` over
    ``step_stop`` game steps: the k-th update sets ``value_start + k * change``
    (k <= step_stop), later updates leave it at ``value_stop``."""

    def __init__(self, param, step_stop: int, value_start: float, value_stop: float, *_):
        super().__init__(param)
        _check_schedule(self, step_stop, value_start=value_start, value_stop=value_stop)
        self.step_stop = step_stop
        self.value_start = value_start
        self.value_stop = value_stop
        self.change = (value_stop - value_start) / step_stop

    def update(self, network):
        if self.step < self.step_stop:
            self.step += 1
            value = (
                self.value_stop
                if self.step == self.step_stop
                else self.value_start + self.change * self.step
            )
            self.set_param(network, value)


class DropOff(Modifier):
    """Hold ``value_start`` for updates 1 .. step_stop-1, then ``value_end``."""

    def __init__(self, param, step_stop: int, value_start, value_end, *_):
        super().__init__(param)
        _check_schedule(self, step_stop, value_start=value_start, value_end=value_end)
        self.step_stop = step_stop
        self.value_start = value_start
        self.value_end = value_end

    def update(self, network):
        self.step += 1
        self.set_param(network, self.value_start if self.step < self.step_stop else self.value_end)
