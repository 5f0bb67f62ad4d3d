"""The ``FastPath`` protocol: how a part lets the compiled LIF tick stand in for it.

A network's ``tick`` runs all its steps in one compiled call
(:mod:`spikey.engine.lif`) when its inputs, neurons, synapses and weights all implement
this protocol and none of them changes what the call reproduces; otherwise it calls the
parts step by step in Python (the original Spikey's loop), with the same spikes.

A part implements the protocol with one method, ``fast_path()``, that returns a
:class:`FastPart`: its role, the built-in class whose behaviour the compiled tick
reproduces (``base``), the kernel's code for it, and the few methods of ``base`` that no
tick reaches besides the common ones (:data:`OFF_TICK`). The network then compares the
part's class with ``base``: if the class redefines any other method, property or operator
of ``base`` or its ancestors (dunders included: a weight's ``__mul__`` is how the original
sent spikes through it), it takes the Python path, which calls that method. The check is
over *every* method of ``base``, not a list of the ones the tick happens to call, so a
helper added to a built-in part later is covered without anyone listing it, and a user's
override of it is never bypassed.

Each role also has the methods the compiled tick calls on it (all public):

- ``inputs``: ``tick_block(n_steps) -> (values (n_steps, k), columns (k,))``, the next
  steps' spikes at once (the same draws as ``n_steps`` calls of ``inputs()``);
- ``neurons``: ``tick_draws(n_steps) -> (rand_fire, noise)``, the random numbers of the
  next steps at once;
- ``weights``: ``kernel_arrays() -> (matrix, live)``, arrays the kernel changes in place;
- ``synapses``: ``trace`` and, for a rule applied at reward time,
  ``remember_window(log, polarities, credit)``.

A user's part joins the compiled tick by deriving from a built-in part and leaving the
per-step methods alone (``__init__``, ``reset`` and the others in :data:`OFF_TICK` may be
redefined), or, for a class of its own whose numbers equal a built-in's, by defining
``fast_path()`` to name that built-in.
"""

from __future__ import annotations

import inspect
import warnings
from typing import Any, NamedTuple, Protocol, runtime_checkable

#: the roles a part can play in the compiled tick (the network's part names)
ROLES = ("inputs", "neurons", "synapses", "weights")

#: methods that no tick reaches (construction, episode start, modes, keys, copying,
#: printing, the protocol itself): any part may redefine these and keep the compiled tick
OFF_TICK = frozenset(
    {
        "__init__", "__init_subclass__", "__repr__", "__str__", "__format__", "__dir__",
        "__getstate__", "__setstate__", "__reduce__", "__reduce_ex__", "__copy__",
        "__deepcopy__", "__eq__", "__ne__", "__hash__", "__len__", "__class_getitem__",
        "__subclasshook__", "reset", "train", "eval", "copy", "list_keys", "extend_keys",
        "keys_of", "_check_config", "_add_values", "fast_path",
    }
)  # fmt: skip


class FastPart(NamedTuple):
    """What a part tells the network about the compiled tick (see the module docstring)."""

    #: the part's role: one of :data:`ROLES`
    role: str
    #: the built-in class whose every per-step method the compiled tick reproduces
    base: type
    #: the kernel's code for ``base`` (``spikey.engine.lif.types``: neuron and synapse
    #: kinds; 0 for inputs and weights)
    kind: int = 0
    #: further methods of ``base`` that no tick reaches (its construction helpers)
    off_tick: frozenset = frozenset()


@runtime_checkable
class FastPath(Protocol):
    """A part that the compiled LIF tick can stand in for."""

    def fast_path(self) -> FastPart:
        """Return the role, built-in base and kernel code of this part."""


_TICK_METHODS: dict = {}  # (base, off_tick) -> its tick methods
_REDEFINED: dict = {}  # (class, base, off_tick) -> the tick methods the class redefines


def tick_methods(base: type, off_tick: frozenset = frozenset()) -> frozenset:
    """Names of ``base``'s methods, properties and operators (own and inherited, not
    ``object``'s) that a tick may reach: all but :data:`OFF_TICK` and ``off_tick``.

    Parameters
    ----------
    base : type
        The built-in class the compiled tick reproduces.
    off_tick : frozenset of str, optional
        Further names of ``base`` that no tick reaches.

    Returns
    -------
    frozenset of str
        The method names.
    """
    names = _TICK_METHODS.get((base, off_tick))
    if names is None:
        found = set()
        for klass in base.__mro__[:-1]:
            for name, value in vars(klass).items():
                if (
                    name not in OFF_TICK
                    and name not in off_tick
                    and (
                        callable(value) or isinstance(value, (property, staticmethod, classmethod))
                    )
                ):
                    found.add(name)
        names = _TICK_METHODS[(base, off_tick)] = frozenset(found)
    return names


def redefined_tick_methods(part: Any, base: type, off_tick: frozenset = frozenset()) -> list[str]:
    """The tick methods of ``base`` (see :func:`tick_methods`) that ``part``'s class
    redefines, sorted; empty when the compiled tick may stand in for the part. (A
    function assigned to an instance over a method is not looked at: define a subclass.)

    Parameters
    ----------
    part : object
        A network part, an instance of a subclass of ``base``.
    base : type
        The built-in class the compiled tick reproduces.
    off_tick : frozenset of str, optional
        Further names of ``base`` that no tick reaches (``FastPart.off_tick``).

    Returns
    -------
    list of str
        Method names whose definition differs from ``base``'s.
    """
    cls = type(part)
    key = (cls, base, off_tick)
    found = _REDEFINED.get(key)
    if found is None:
        found = _REDEFINED[key] = tuple(
            sorted(
                name
                for name in tick_methods(base, off_tick)
                if inspect.getattr_static(cls, name, None)
                is not inspect.getattr_static(base, name, None)
            )
        )
    return list(found)


def stand_in(part: Any, role: str) -> tuple[FastPart | None, str | None]:
    """Whether the compiled tick may stand in for ``part`` in ``role``.

    Parameters
    ----------
    part : object
        The network's part.
    role : str
        One of :data:`ROLES`.

    Returns
    -------
    (FastPart or None, str or None)
        The part's declaration and None when the tick may stand in; otherwise None and
        the reason, naming the part's class (``"ZeroMul redefines __mul__ of Weight"``).
    """
    name = type(part).__name__
    if not isinstance(part, FastPath):
        return None, f"{name} does not implement the FastPath protocol (no fast_path())"
    spec = part.fast_path()
    if not isinstance(spec, FastPart):
        return None, (
            f"{name} does not implement the FastPath protocol (fast_path() gave {spec!r}; "
            "expected a FastPart)"
        )
    if spec.role != role or not isinstance(part, spec.base):
        return None, f"{name}.fast_path() gave {spec!r}; expected a FastPart for {role!r}"
    redefined = redefined_tick_methods(part, spec.base, spec.off_tick)
    if redefined:
        return None, f"{name} redefines {', '.join(redefined)} of {spec.base.__name__}"
    return spec, None


#: the kernel loader's names that lived here until the LIF tick moved to spikey.engine.lif
_MOVED = {
    "ARGUMENTS": "spikey.engine.lif.types",
    "check_arguments": "spikey.engine.lif.types",
    "tick_kernel": "spikey.engine.lif.loader",
    "kernel_dir": "spikey.engine.lif.loader",
    "module_name": "spikey.engine.lif.loader",
}


def __getattr__(name: str) -> Any:
    if name in _MOVED:
        import importlib

        warnings.warn(
            f"spikey.snn.fastpath.{name} moved to {_MOVED[name]}.{name}; the old path goes "
            "in the next release.",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(importlib.import_module(_MOVED[name]), name)
    raise AttributeError(f"module 'spikey.snn.fastpath' has no attribute {name!r}")
