"""``njit_wide``: the 512-bit preference reaches the compiled kernels and changes no result."""

import numpy as np
from numba import njit

from spikey.engine import kernels, wide
from spikey.engine.wide import ATTRIBUTE, add_attribute, njit_wide


def test_the_attribute_goes_on_each_definition_and_nowhere_else():
    text = (
        'declare i32 @"g"(i64)\n'
        'define i32 @"f"(i64 %"a")\n{\nret i32 0\n}\n'
        'define i32 @"h"(i64 %"a") noinline {\nret i32 0\n}\n'
    )
    out = add_attribute(text)
    assert out.count(ATTRIBUTE) == 2
    assert f'define i32 @"f"(i64 %"a") {ATTRIBUTE}\n{{' in out
    assert f'define i32 @"h"(i64 %"a") noinline {ATTRIBUTE} {{' in out
    assert 'declare i32 @"g"(i64)\n' in out


def test_a_definition_with_other_trailing_parts_is_left_alone():
    text = 'define i32 @"f"(i64 %"a") section "x"\n{\n'
    assert add_attribute(text) == text


def test_the_lazy_kernel_is_compiled_wide():
    assert kernels.izh_run_lazy._compiler.pipeline_class is wide._WideCompiler


def test_wide_compilation_puts_the_attribute_in_the_llvm_function():
    # (cached kernels cannot be inspected: a fresh, uncached function)
    def total(x):
        s = 0.0
        for v in x:
            s += v * 2.0
        return s

    fn = njit_wide(_nrt=False)(total)
    assert fn(np.arange(10.0)) == 90.0
    (ir,) = fn.inspect_llvm().values()
    assert ATTRIBUTE in ir


def test_wide_and_plain_code_agree_bit_for_bit():
    def update(v, u, I, n):
        for _ in range(n):
            for j in range(v.size):
                vn = v[j] + 0.5 * ((0.04 * v[j] + 5.0) * v[j] + 140.0 - u[j] + I[j])
                vn = vn + 0.5 * ((0.04 * vn + 5.0) * vn + 140.0 - u[j] + I[j])
                u[j] = u[j] + 0.02 * (0.2 * vn - u[j])
                v[j] = vn if vn < 30.0 else -65.0
        return v

    rng = np.random.default_rng(3)
    start = (rng.uniform(-70, -50, 203), rng.uniform(-15, -10, 203), rng.uniform(0, 9, 203))
    a = njit(update)(*(x.copy() for x in start), 400)
    b = njit_wide()(update)(*(x.copy() for x in start), 400)
    assert np.array_equal(a, b)
