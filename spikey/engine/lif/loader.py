"""The compiled tick that a network calls, loaded as cheaply as possible.

A fresh process that ticks a network would pay numba's start-up (its import, typing and
target set-up, loading the cached kernel: 0.2-0.4 s) before the first step. To skip it,
:func:`tick_kernel` uses an ahead-of-time build of the very same kernel
(:func:`spikey.engine.lif.kernel.build_ahead_of_time`): a plain extension module that
imports in well under a millisecond and needs no numba. It is built for the host CPU, once
per processor, kernel source, Python and numpy version (a few seconds, like a cold JIT
compile), into

- ``$SPIKEY_KERNEL_DIR`` if set, else
- ``$NUMBA_CACHE_DIR/spikey-kernels`` if that is set, else
- ``~/.cache/spikey/kernels``.

Set ``SPIKEY_AOT=0`` to use the JIT kernel only. If the build fails (no C compiler, no
writable folder) the JIT kernel is used and the reason is kept in a ``.failed`` file
next to where the module would be, so that later processes do not retry.

The extension checks no argument types, so every call goes through
:func:`spikey.engine.lif.types.check_arguments` first (callers that slice already checked
arrays along their first axis may check once per tick). This module imports no numba.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import os
import sys
import tempfile
from collections.abc import Callable

import numpy as np

import spikey

#: the files whose text the build depends on (the kernel and its index constants)
_KERNEL_SOURCES = tuple(
    os.path.join(os.path.dirname(spikey.__file__), "engine", "lif", name)
    for name in ("kernel.py", "types.py")
)
_loaded: tuple | None = None  # (function, kind) once chosen


def kernel_dir() -> str:
    """Folder of the ahead-of-time kernel builds (see the module docstring)."""
    if os.environ.get("SPIKEY_KERNEL_DIR"):
        return os.environ["SPIKEY_KERNEL_DIR"]
    if os.environ.get("NUMBA_CACHE_DIR"):
        return os.path.join(os.environ["NUMBA_CACHE_DIR"], "spikey-kernels")
    return os.path.join(os.path.expanduser("~"), ".cache", "spikey", "kernels")


def _processor() -> str:
    """The CPU model and features (the build targets this CPU), as cheaply as possible."""
    try:
        with open("/proc/cpuinfo") as f:
            lines = [ln for ln in f if ln.startswith(("model name", "flags", "Features"))]
        return "".join(sorted(set(lines)))
    except OSError:
        import platform

        return platform.processor() or platform.machine()


def module_name() -> str:
    """Name of the build for this kernel source, Python, numpy and processor."""
    h = hashlib.sha256()
    for source in _KERNEL_SOURCES:
        with open(source, "rb") as f:
            h.update(f.read())
    h.update(f"{sys.version}|{np.__version__}|{os.uname().machine}|{_processor()}".encode())
    return f"_spikey_snn_tick_{h.hexdigest()[:16]}"


def _load_extension(path: str, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.tick


def _ahead_of_time():
    """The ahead-of-time kernel (building it if needed), or None with the JIT's turn."""
    directory, name = kernel_dir(), module_name()
    path = os.path.join(directory, name + importlib.machinery.EXTENSION_SUFFIXES[0])
    failed = os.path.join(directory, name + ".failed")
    if os.path.exists(path):
        return _load_extension(path, name)
    if os.path.exists(failed):
        return None
    try:
        from spikey.engine.lif.kernel import build_ahead_of_time  # lazy: loads numba

        os.makedirs(directory, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=directory) as tmp:
            built = build_ahead_of_time(tmp, name)
            os.replace(built, path)  # atomic: a concurrent build just replaces it
        return _load_extension(path, name)
    except Exception as err:  # no compiler, read-only folder, ...: use the JIT kernel
        try:
            with open(failed, "w") as f:
                f.write(f"{type(err).__name__}: {err}\n")
        except OSError:
            pass
        return None


def tick_kernel() -> tuple[Callable, str]:
    """``(function, kind)``: the kernel to call, ``kind`` "aot" or "jit" (see module doc)."""
    global _loaded
    if _loaded is None:
        function = None
        if os.environ.get("SPIKEY_AOT", "1") != "0":
            function = _ahead_of_time()
        if function is not None:
            _loaded = (function, "aot")
        else:
            from spikey.engine.lif.kernel import snn_tick_kernel  # lazy: loads numba

            _loaded = (snn_tick_kernel, "jit")
    return _loaded
