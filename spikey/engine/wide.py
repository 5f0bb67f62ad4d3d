"""``njit_wide``: numba's ``njit`` with LLVM told to prefer 512-bit vectors in that function.

On CPUs with AVX-512, LLVM's X86 tuning prefers 256-bit vectors (older AVX-512 chips slow
their clock on 512-bit code), and numba offers no per-function way to change that: only the
process-wide ``NUMBA_CPU_FEATURES``, which would also change every other numba function of the
user's process. Here the kernel's own LLVM function gets the attribute
``"prefer-vector-width"="512"``, read by LLVM's X86 back end per function. Elsewhere (no
AVX-512, other architectures) LLVM ignores a width wider than the hardware's.

Measured with ``benchmarks/bench_wide.py`` (both variants interleaved in one process, AVX-512
Xeon, 9 rounds): wide / plain 1.12 on the Fig. 1 preset, 1.06 on the delays preset (1.03-1.09
and 1.02-1.05 before the update's arrays were laid out against 4K aliasing, ``kernels.lanes``);
the neuron update's loops run 8 lanes instead of 4. (The dense kernel, whose time goes to
sweeping synapses, ran 5 % slower wide and stays plain.) Results are unchanged: without fastmath every
lane rounds as a scalar would (the kernel-vs-reference tests check spike for spike).

How: a compiler pipeline whose lowering pass builds the function's LLVM module as a
:class:`_WideModule`, whose text (what numba parses into LLVM) carries the attribute on each
function definition. ``tests/engine/test_wide.py`` checks that the attribute reaches the
compiled kernels, so a numba release that moves these internals fails a test instead of
silently losing the speed.
"""

from __future__ import annotations

import re

from numba import njit

ATTRIBUTE = '"prefer-vector-width"="512"'
#: a definition's first line: up to its parameters, then only plain attributes (``noinline``);
#: anything else (section, personality, ...) is left alone rather than risk a wrong order
_DEFINE = re.compile(r"^(define [^\n]*\)(?: [a-z_]+)*)( \{)?$", re.M)

try:
    from llvmlite import ir as _llvm_ir
    from numba.core import lowering as _lowering
    from numba.core.compiler import CompilerBase, DefaultPassBuilder
    from numba.core.compiler_machinery import register_pass
    from numba.core.typed_passes import NativeLowering
except ImportError:  # pragma: no cover - a numba without these internals: plain njit
    _llvm_ir = None


def add_attribute(text: str) -> str:
    """LLVM IR ``text`` with :data:`ATTRIBUTE` on every function definition."""
    return _DEFINE.sub(lambda m: f"{m.group(1)} {ATTRIBUTE}{m.group(2) or ''}", text)


if _llvm_ir is not None:

    class _WideModule(_llvm_ir.Module):
        """An llvmlite module whose text marks its functions for 512-bit vectors."""

        def __str__(self):
            return add_attribute(super().__str__())

    class _WideLower(_lowering.Lower):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.module.__class__ = _WideModule

    @register_pass(mutates_CFG=True, analysis_only=False)
    class _WideLowering(NativeLowering):
        _name = "spikey_wide_native_lowering"

        @property
        def lowering_class(self):
            return _WideLower

    class _WideCompiler(CompilerBase):
        """numba's nopython pipeline with :class:`_WideLowering` as its lowering pass."""

        def define_pipelines(self):
            pm = DefaultPassBuilder.define_nopython_pipeline(self.state)
            pm.passes = [
                (_WideLowering, desc) if cls is NativeLowering else (cls, desc)
                for cls, desc in pm.passes
            ]
            pm.finalize()
            return [pm]


def njit_wide(**options):
    """``numba.njit(**options)`` with 512-bit vectors preferred (not for ``parallel=True``:
    its parallel regions are compiled by another pipeline)."""
    if _llvm_ir is None or options.get("parallel"):
        return njit(**options)
    return njit(pipeline_class=_WideCompiler, **options)
