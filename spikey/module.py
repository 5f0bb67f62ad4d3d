"""Keyed parameters: the configuration contract every spikey part follows.

A part declares what it needs in ``NECESSARY_KEYS`` (a list of :class:`Key`, or a
dict ``name -> description``); ``Module.__init__`` checks the values it is given
against that declaration and stores each one as ``self._<name>``. A value that cannot work
is refused here with one message form (:func:`config_error`: part, key, value given, what
is expected), a size too large for this machine before anything is allocated
(:func:`check_memory`). Nothing else lives here: saving and loading is :mod:`spikey.saving`.
"""

from __future__ import annotations

import numbers
import os
from collections.abc import Iterable, Mapping
from copy import deepcopy
from typing import Any

import numpy as np

_NO_DEFAULT = object()


class ConfigError(KeyError, ValueError, TypeError):
    """A part was given a missing, mistyped or out-of-range configuration value.

    It is a ``KeyError`` (what the original Spikey raised), a ``ValueError`` and a
    ``TypeError`` at once, so any of the three catches it.
    """

    def __str__(self):  # KeyError would wrap the message in quotes
        return str(self.args[0]) if self.args else ""


def config_error(part: object, key: str, given: Any, expected: str) -> ConfigError:
    """The standard error: which part, which key, what came, what was expected.

    Parameters
    ----------
    part : object or str
        The part (its class name is used) or a name such as ``"CartPole.step"``.
    key : str
        The key or argument that was wrong.
    given : object
        The value given; shown with ``repr``.
    expected : str
        The expected form, e.g. ``"an integer >= 1"``.

    Returns
    -------
    ConfigError
        ``"<part>: key '<key>' got <given!r>; expected <expected>."``, to raise.
    """
    part_name = part if isinstance(part, str) else type(part).__name__
    return ConfigError(f"{part_name}: key '{key}' got {given!r}; expected {expected}.")


def physical_memory_bytes() -> int:
    """This machine's physical memory in bytes (0 where the platform does not say)."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):
        return 0


def check_memory(part: object, key: str, given: Any, n_items: int, itemsize: int = 8) -> None:
    """Refuse a size that needs more memory than this machine has, before allocating it.

    Parameters
    ----------
    part : object or str
        The part (or its name) the size belongs to, named in the error.
    key : str
        The key whose value sets the size.
    given : object
        The value given for ``key``, shown in the error.
    n_items : int
        How many array elements the value asks for.
    itemsize : int, default 8
        Bytes per element (float64).

    Raises
    ------
    ConfigError
        When ``n_items * itemsize`` exceeds the physical memory.
    """
    limit = physical_memory_bytes()
    need = int(n_items) * int(itemsize)
    if limit and need > limit:
        raise config_error(
            part,
            key,
            given,
            f"a size whose arrays fit in memory (it needs {need / 2**30:.3g} GiB; this "
            f"machine has {limit / 2**30:.3g} GiB)",
        )


def _type_name(t) -> str:
    if isinstance(t, tuple):
        return " or ".join(_type_name(x) for x in t)
    return getattr(t, "__name__", str(t))


def _accepts(expected, value) -> bool:
    """isinstance with the numeric widening users expect (int where float is asked, numpy scalars)."""
    options = expected if isinstance(expected, tuple) else (expected,)
    for t in options:
        if t is any or t is object:
            return True
        if t is float and isinstance(value, numbers.Real) and not isinstance(value, bool):
            return True
        if t is int and isinstance(value, numbers.Integral) and not isinstance(value, bool):
            return True
        if isinstance(t, type) and isinstance(value, t):
            return True
    return False


class Key:
    """One declared parameter of a part.

    Parameters
    ----------
    name : str
        Key name; the value is stored on the part as ``_<name>``.
    description : str
        What the value means, shown by ``list_keys``.
    type : type or tuple of types, default any
        Accepted type(s). ``float`` also accepts ints, ``np.ndarray`` also accepts
        lists/tuples (converted).
    default : object, optional
        Value used when none is given; without it the key is required.
    """

    def __init__(
        self, name: str, description: str = "", type: Any = any, default: Any = _NO_DEFAULT
    ):
        self.name = name
        self.description = description
        self.type = np.ndarray if type is np.array else type
        if default is not _NO_DEFAULT:
            self.default = default

    @property
    def has_default(self) -> bool:
        """Whether the key has a default (else it must be given)."""
        return hasattr(self, "default")

    def __str__(self):
        t = "any" if self.type is any else _type_name(self.type)
        default = f", default={self.default!r}" if self.has_default else ""
        return f'"{self.name}": "[{t}{default}] {self.description}"'

    __repr__ = __str__

    def __eq__(self, other):
        return self.name == (other.name if isinstance(other, Key) else other)

    def __hash__(self):
        return hash(self.name)

    def convert(self, value: Any, part: object = "Module") -> Any:
        """``value`` checked (and, for arrays, converted) against this key's type.

        Raises
        ------
        ConfigError
            Naming ``part``, the key, the value and the expected type.
        """
        if self.type is any or _accepts(self.type, value):
            return value
        wants_array = self.type is np.ndarray or (
            isinstance(self.type, tuple) and np.ndarray in self.type
        )
        if wants_array and isinstance(value, (list, tuple)):
            return np.asarray(value)
        raise config_error(
            part,
            self.name,
            value,
            f"a value of type {_type_name(self.type)} (got type {type(value).__name__})",
        )


def _as_key_list(keys) -> list[Key]:
    if isinstance(keys, dict):
        return [Key(name, str(desc)) for name, desc in keys.items()]
    return [k if isinstance(k, Key) else Key(k, "") for k in keys]


class Settings(Mapping):
    """Read-only view of a part's declared keys, by item or attribute (``part.settings.max_weight``).

    Reads the live ``_<name>`` attributes, so it follows user code that still assigns them.
    """

    __slots__ = ("_part", "_names")

    def __init__(self, part: Any, names: Iterable[str]):
        object.__setattr__(self, "_part", part)
        object.__setattr__(self, "_names", tuple(names))

    def __getitem__(self, name):
        if name not in self._names:
            raise KeyError(
                f"{type(self._part).__name__} has no setting {name!r}; it has {list(self._names)}."
            )
        return getattr(self._part, f"_{name}")

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError as error:
            raise AttributeError(str(error)) from None

    def __setattr__(self, name, value):
        raise AttributeError("settings are read-only; pass them to the constructor instead.")

    def __iter__(self):
        return iter(self._names)

    def __len__(self):
        return len(self._names)

    def __repr__(self):
        return f"Settings({ {name: self[name] for name in self._names} })"


class Module:
    """Base of every spikey part: validates keyword configuration against ``NECESSARY_KEYS``.

    Examples
    --------
    >>> class Part(Module):
    ...     NECESSARY_KEYS = [Key("n", "how many", int, default=3)]
    >>> Part()._n
    3
    """

    NECESSARY_KEYS: list | dict = []

    def __init__(self, **kwargs: Any):
        self._add_values(kwargs)
        self.training = True

    # -- class-level key handling -------------------------------------------------
    @classmethod
    def extend_keys(
        cls, new_keys: list | dict, base: str = "NECESSARY_KEYS"
    ) -> list[Key] | dict[str, str]:
        """A copy of ``cls.<base>`` with ``new_keys`` added, in the container type of the base."""
        keys = deepcopy(getattr(cls, base))
        if isinstance(keys, dict):
            if not isinstance(new_keys, dict):
                new_keys = {k.name: k.description for k in _as_key_list(new_keys)}
            keys.update(new_keys)
            return keys
        keys = list(keys)
        for key in _as_key_list(new_keys):
            if key in keys:  # a subclass may redeclare a key (new default or type)
                keys[keys.index(key)] = key
            else:
                keys.append(key)
        return keys

    @classmethod
    def keys_of(cls, base: str = "NECESSARY_KEYS") -> list[Key]:
        """The declared keys as a list of :class:`Key`."""
        return _as_key_list(getattr(cls, base))

    @classmethod
    def list_keys(cls, base: str = "NECESSARY_KEYS") -> None:
        """Print the declared keys, one per line, in a dict-like layout."""
        print("{")
        for key in cls.keys_of(base):
            print(f"\t{key},")
        print("}")

    # -- instance ------------------------------------------------------------------
    def _check_config(self, kwargs, base="NECESSARY_KEYS"):
        missing = [k.name for k in self.keys_of(base) if k.name not in kwargs and not k.has_default]
        if missing:
            raise ConfigError(
                f"{type(self).__name__}: missing value(s) for key(s) {missing}, which have no "
                f"default. Pass them as keyword arguments or in the network's `keys`."
            )

    def _add_values(self, kwargs, base="NECESSARY_KEYS", dest=None, prefix="_"):
        """Check ``kwargs`` against ``base`` and store each value as ``<prefix><name>`` on ``dest``."""
        self._check_config(kwargs, base)
        dest = self if dest is None else (getattr(self, dest) if isinstance(dest, str) else dest)
        for key in self.keys_of(base):
            value = (
                key.convert(kwargs[key.name], self) if key.name in kwargs else deepcopy(key.default)
            )
            if isinstance(dest, dict):
                dest[f"{prefix}{key.name}"] = value
            else:
                setattr(dest, f"{prefix}{key.name}", value)

    @property
    def settings(self) -> Settings:
        """The part's declared keys, read-only (the public way to read ``self._<name>``)."""
        return Settings(self, [key.name for key in self.keys_of()])

    def train(self) -> None:
        """Enable learning (the default)."""
        self.training = True

    def eval(self) -> None:
        """Disable learning."""
        self.training = False

    def copy(self) -> Module:
        """A deep copy of this part."""
        return deepcopy(self)


#: names that lived here until module.py kept only the configuration contract
_MOVED = {"save": "spikey.saving", "load": "spikey.saving"}


def __getattr__(name: str) -> Any:
    if name in _MOVED:
        import importlib
        import warnings

        warnings.warn(
            f"spikey.module.{name} moved to {_MOVED[name]}.{name} (also spikey.{name}); the "
            "old path goes in the next release.",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(importlib.import_module(_MOVED[name]), name)
    raise AttributeError(f"module 'spikey.module' has no attribute {name!r}")
