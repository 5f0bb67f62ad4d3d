"""Notice (and undo) a user function's changes to the classes it refers to.

The seed notebooks' control cell did ``network_template.keys.update({"learning_rate": 0})``
inside its train function. Under Ray Train each call ran in a fresh worker, so the change
died with it; run twice in one process, every later call silently sees learning switched
off. The runner gives user functions a fresh worker per job on the ``process`` and ``ray``
backends; where a function runs in a process that later jobs share (``serial``, or
``reuse_workers=True``), this guard snapshots the data attributes of every class the
function names (globals and closure cells, their base classes included), compares them
after the job, puts changed ones back and reports what changed.

It costs a deep copy of those classes' data attributes per job (microseconds for the
notebook templates). It does not see module-level dicts or instances the function
changes; only a fresh process isolates those.
"""

from __future__ import annotations

import builtins
import copy
import types

import numpy as np

_DATA = (dict, list, set, tuple, np.ndarray, int, float, complex, str, bytes, bool, type(None))


class SharedStateWarning(UserWarning):
    """A job changed a class that later jobs in the same process would have seen."""


def _code_names(code: types.CodeType, out: set) -> set:
    out.update(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            _code_names(const, out)
    return out


def referenced_classes(fn) -> list[type]:
    """Classes ``fn`` reaches by a global name or a closure cell, with their bases."""
    fn = getattr(fn, "fn", fn)  # a FunctionTask wraps the user's function
    fn = getattr(fn, "__func__", fn)
    code = getattr(fn, "__code__", None)
    if code is None:
        fn = vars(type(fn)).get("__call__")  # a callable object: its method
        code = getattr(fn, "__code__", None)
        if code is None:
            return []
    found: list = []
    scope = getattr(fn, "__globals__", {})
    for name in _code_names(code, set()):
        obj = scope.get(name)
        if isinstance(obj, type):
            found.append(obj)
    for cell in getattr(fn, "__closure__", None) or ():
        try:
            obj = cell.cell_contents
        except ValueError:  # an empty cell
            continue
        if isinstance(obj, type):
            found.append(obj)
    out: list = []
    for cls in found:
        for base in cls.__mro__:
            if base.__module__ != builtins.__name__ and base not in out:
                out.append(base)
    return out


def _equal(a, b) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, np.ndarray):
        return a.shape == b.shape and a.dtype == b.dtype and np.array_equal(a, b, equal_nan=True)
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b))
    try:
        return bool(a == b)
    except Exception:  # an object that cannot say: assume unchanged
        return True


def _data_attributes(cls) -> dict:
    return {k: v for k, v in vars(cls).items() if isinstance(v, _DATA) and not k.startswith("__")}


class ClassGuard:
    """Snapshot of the classes a function names; :meth:`restore` undoes the function's changes."""

    def __init__(self, fn):
        self.name = getattr(getattr(fn, "fn", fn), "__name__", "the function")
        self.saved = []
        for cls in referenced_classes(fn):
            attrs = {}
            data = _data_attributes(cls)
            for key, value in data.items():
                try:
                    attrs[key] = (value, copy.deepcopy(value))
                except Exception:  # not copyable: not watched
                    continue
            self.saved.append((cls, attrs, set(data)))

    def restore(self) -> list[str]:
        """Put changed class attributes back; return one line per change."""
        changes = []
        for cls, attrs, names in self.saved:
            for key in sorted(set(_data_attributes(cls)) - names):
                delattr(cls, key)
                changes.append(f"{cls.__name__}.{key} (added)")
            for key, (original, copied) in attrs.items():
                current = vars(cls).get(key, _MISSING)
                if current is original and _equal(original, copied):
                    continue
                _put_back(original, copied)
                setattr(cls, key, original)
                changes.append(f"{cls.__name__}.{key}")
        return changes

    def message(self, changes) -> str:
        return (
            f"{self.name} changed {', '.join(changes)} while running in a process that later "
            "jobs share; spikey put the original back. Build per-call values instead "
            "(keys = {**Template.keys, **config}), or run on backend='process' (a fresh "
            "worker per job)."
        )


_MISSING = object()


def _put_back(original, copied) -> None:
    """Make ``original`` hold ``copied``'s content again, in place where it is mutable."""
    if isinstance(original, dict):
        original.clear()
        original.update(copied)
    elif isinstance(original, list):
        original[:] = copied
    elif isinstance(original, set):
        original.clear()
        original.update(copied)
    elif isinstance(original, np.ndarray) and original.shape == copied.shape:
        if original.flags.writeable:
            original[...] = copied
