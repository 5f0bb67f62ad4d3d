"""Judge one bad-input case: a clear error, or correct behaviour, and nothing else.

A *case* calls something a user can call (a constructor, a CLI command, a loader) with one
input that is wrong or unusual. :func:`judge` runs it under a timeout and accepts exactly two
endings:

- an **error** whose type is one a user can catch as "my input was bad" (``ConfigError``,
  ``ValueError``, ``TypeError``, ``KeyError``, ``OSError``; for the CLI a non-zero exit with
  a one-line message), raised from spikey's own code (not from inside numpy, numba or the
  standard library) and whose message names the part or option, the key, the value given
  and the expected form;
- **correct behaviour**: it returns, the result holds no NaN, and ``check`` (the case's own
  test of the result) passes.

Either way the inputs must be unchanged afterwards. Every judged case is added to
:data:`TALLY` (door -> distinct case labels per ending), which ``conftest.py`` prints.
"""

from __future__ import annotations

import contextlib
import copy
import io
import math
import numbers
import os
import signal
import traceback
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
from hypothesis import HealthCheck, Phase, settings

import spikey

SPIKEY_DIR = os.path.dirname(os.path.abspath(spikey.__file__))
#: this suite's folder: faults it simulates (a full disk, a read-only folder) raise here
SUITE_DIR = os.path.dirname(os.path.abspath(__file__))

#: hypothesis settings of every generated door: reproducible (derandomized, no example
#: database), no per-example deadline (numba compiles on first use; each case has its own
#: time limit), few examples per test and no shrinking (a failure prints its input, and
#: shrinking would rerun slow cases many times). Tests raise ``max_examples`` where a door
#: has more to cover.
SUITE = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=4,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    print_blob=False,
)

#: door -> {"error": set(labels), "correct": set(labels)}
TALLY: dict[str, dict[str, set]] = defaultdict(lambda: {"error": set(), "correct": set()})

#: exception types that say "your input is wrong" (ConfigError is all of the first three)
USER_ERRORS = (ValueError, TypeError, KeyError, OSError)

#: words by which a message states the expected form
EXPECTED_WORDS = (
    "expected",
    "expects",
    "expect ",
    "must",
    "known",
    "choose from",
    "one of",
    "needs",
    "not a ",
    "refus",
    "its metrics:",  # a list of the valid names is the expected form
    "pass another",  # the fix, stated
)


#: argparse's own wording of the expected form ("invalid int value: 'x'" says an int is expected)
ARGPARSE_WORDS = (
    "invalid int value",
    "invalid float value",
    "invalid choice",
    "the following arguments are required",
    "expected one argument",
    "unrecognized arguments",
)


class CaseTimeout(Exception):
    """A case ran past its time limit."""


@dataclass
class Ending:
    """How a case ended: ``kind`` is "error" or "correct"; ``message`` the error text."""

    kind: str
    message: str = ""
    value: object = None


def _vm_bytes() -> int:
    """This process's current virtual memory size (Linux), or 0 when unknown."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


@contextlib.contextmanager
def memory_limit(extra_bytes: int = 3 * 2**30):
    """Make an allocation of more than ``extra_bytes`` fail with MemoryError (instead of the
    machine's out-of-memory killer ending the test run) while the block runs."""
    try:
        import resource
    except ImportError:  # not on this platform: no guard
        yield
        return
    now = _vm_bytes()
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if not now:
        yield
        return
    limit = now + extra_bytes
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@contextlib.contextmanager
def time_limit(seconds: float):
    """Raise :class:`CaseTimeout` in this (main) thread after ``seconds``."""

    def on_alarm(signum, frame):
        raise CaseTimeout(f"case ran longer than {seconds} s")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def snapshot(value):
    """A deep copy to compare against later (objects that cannot be copied are kept by id)."""
    try:
        return copy.deepcopy(value)
    except Exception:
        return value


def same(a, b) -> bool:
    """Equality that treats arrays, NaN and nested containers the way a user would."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        try:
            a_arr, b_arr = np.asarray(a), np.asarray(b)
        except Exception:
            return False
        if a_arr.shape != b_arr.shape or a_arr.dtype != b_arr.dtype:
            return False
        if a_arr.dtype.kind in "fc":
            return bool(np.array_equal(a_arr, b_arr, equal_nan=True))
        if a_arr.dtype == object:
            return all(same(x, y) for x, y in zip(a_arr.ravel(), b_arr.ravel(), strict=True))
        return bool(np.array_equal(a_arr, b_arr))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if type(a) is type(b) and hasattr(a, "__dict__") and not isinstance(a, type):
        return same(vars(a), vars(b))
    try:
        return bool(a == b) or a is b
    except Exception:
        return a is b


def find_nan(value, path="result", depth=0) -> str | None:
    """Where ``value`` (numbers, arrays, containers, simple objects) holds a NaN, if anywhere."""
    if depth > 4:
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, numbers.Real):
        return path if math.isnan(float(value)) else None
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "fc" and np.isnan(value).any():
            return path
        return None
    if isinstance(value, dict):
        for k, v in value.items():
            hit = find_nan(v, f"{path}[{k!r}]", depth + 1)
            if hit:
                return hit
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value[:1000]):
            hit = find_nan(v, f"{path}[{i}]", depth + 1)
            if hit:
                return hit
    return None


def raised_in_spikey(err: BaseException) -> bool:
    """Whether the innermost frame of ``err``'s traceback is spikey's own code (or a fault
    this suite simulates)."""
    frames = traceback.extract_tb(err.__traceback__)
    where = os.path.abspath(frames[-1].filename) if frames else ""
    return where.startswith(SPIKEY_DIR) or where.startswith(SUITE_DIR)


def renderings(given) -> list[str]:
    """Ways a message may show the value it was given."""
    out = [repr(given), str(given)]
    if isinstance(given, float) and given.is_integer():
        out.append(str(int(given)))
    if isinstance(given, str):
        try:
            out.append(repr(float(given)))  # "1e999" shown as the number it parses to
        except ValueError:
            pass
    if isinstance(given, np.ndarray):
        out.append(f"shape {given.shape}")
        out.append(str(given.dtype))
    return [s for s in out if s]


def check_message(
    message: str,
    names: Iterable[str],
    given=None,
    check_given=True,
    door="",
    expected_form=True,
) -> None:
    """Assert that ``message`` names every one of ``names``, the value and the expected form."""
    assert message.strip(), f"[{door}] an error with an empty message"
    lowered = message.lower()
    for name in names:
        assert name.lower() in lowered, f"[{door}] the message does not name {name!r}: {message!r}"
    if check_given:
        shown = renderings(given)
        assert any(s.lower() in lowered for s in shown), (
            f"[{door}] the message does not show the value given ({shown[0][:80]}): {message!r}"
        )
    assert not expected_form or any(w in lowered for w in EXPECTED_WORDS + ARGPARSE_WORDS), (
        f"[{door}] the message does not say what is expected: {message!r}"
    )


def judge(
    door: str,
    label: str,
    call: Callable[[], object],
    *,
    names: Iterable[str] = (),
    given=None,
    check_given: bool = True,
    inputs: object = None,
    check: Callable[[object], None] | None = None,
    allow_correct: bool = True,
    allow_error: bool = True,
    timeout: float = 10.0,
    nan_ok: bool = False,
    expected_form: bool = True,
) -> Ending:
    """Run ``call()`` as one case of ``door`` and assert that it ends acceptably.

    Parameters
    ----------
    door : str
        Which public entry point this case goes through (the tally's row).
    label : str
        What distinguishes this case (the tally counts distinct labels).
    call : callable
        The case itself.
    names : iterable of str
        Words an error message must contain (the part or option, the key).
    given : object
        The bad value; an error message must show it unless ``check_given`` is False.
    inputs : object
        Everything the user passed in; it must be unchanged after the call.
    check : callable, optional
        Called with the return value when the case returns; asserts it is correct.
    allow_correct, allow_error : bool
        Whether returning normally / raising an error is acceptable for this case.
    timeout : float
        Seconds before the case counts as a hang.
    nan_ok : bool
        Whether a NaN in the return value is acceptable (e.g. a documented "no data" NaN).
    expected_form : bool
        Whether an error must state the expected form (False for an operating-system error,
        e.g. a full disk, whose message names the file and the problem).
    """
    before = snapshot(inputs)
    try:
        with time_limit(timeout), memory_limit():
            value = call()
    except CaseTimeout:
        raise AssertionError(f"[{door}] {label}: hung (over {timeout} s)") from None
    except USER_ERRORS as err:
        tb = "".join(traceback.format_exception(type(err), err, err.__traceback__)[-6:])
        assert allow_error, f"[{door}] {label}: expected correct behaviour, got\n{tb}"
        message = err.args[0] if isinstance(err, KeyError) and err.args else str(err)
        message = str(message)
        assert raised_in_spikey(err), (
            f"[{door}] {label}: the error comes from inside a library, not from spikey's "
            f"validation:\n{tb}"
        )
        check_message(
            message, names, given, check_given, door=f"{door}: {label}", expected_form=expected_form
        )
        ending = Ending("error", message)
    except BaseException as err:  # anything else is a crash
        if isinstance(err, (KeyboardInterrupt, AssertionError)) and not isinstance(
            err, CaseTimeout
        ):
            raise
        tb = "".join(traceback.format_exception(type(err), err, err.__traceback__)[-8:])
        raise AssertionError(f"[{door}] {label}: crashed with {type(err).__name__}\n{tb}") from None
    else:
        assert allow_correct, f"[{door}] {label}: accepted a bad input (returned {value!r:.200})"
        if not nan_ok:
            where = find_nan(value)
            assert where is None, f"[{door}] {label}: NaN in {where}"
        if check is not None:
            check(value)
        ending = Ending("correct", value=value)
    if inputs is not None:
        assert same(before, inputs), f"[{door}] {label}: the call changed its input"
    TALLY[door][ending.kind].add(label)
    return ending


def run_cli(argv: list[str], timeout: float = 20.0) -> tuple[int, str, str]:
    """``spikey.cli.main(argv)`` in this process: (exit code, stdout, stderr).

    ``SystemExit`` becomes its code (a string code is printed to stderr, as Python does).
    Any other exception propagates, so :func:`judge_cli` reports it as a crash.
    """
    from spikey.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            with time_limit(timeout), memory_limit():
                code = main(argv)
        except SystemExit as exit_:
            code = exit_.code
            if isinstance(code, str):
                print(code, file=err)
                code = 1
            code = 0 if code is None else code
    return int(code), out.getvalue(), err.getvalue()


def judge_cli(
    door: str,
    argv: list[str],
    *,
    names: Iterable[str] = (),
    given: str | None = None,
    bad: bool | None = True,
    timeout: float = 20.0,
    ok_codes: tuple[int, ...] = (0,),
) -> tuple[int, str, str]:
    """One CLI case, run in this process.

    ``bad=True``: the command must exit non-zero with a message (the last stderr line, or a
    ``seed N: ERROR ...`` line of a job that refused its config) naming ``names``, the value
    ``given`` and the expected form, and no traceback. ``bad=False``: it must exit with one of
    ``ok_codes``. ``bad=None`` (generated input, valid or not): either, judged as such.
    """
    label = " ".join(argv)
    try:
        code, out, err = run_cli(argv, timeout)
    except CaseTimeout:
        raise AssertionError(f"[{door}] {label}: hung (over {timeout} s)") from None
    except AssertionError:
        raise
    except BaseException as exc:
        tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)[-8:])
        raise AssertionError(f"[{door}] {label}: crashed with {type(exc).__name__}\n{tb}") from None
    assert "Traceback (most recent call last)" not in err + out, (
        f"[{door}] {label}: traceback\n{err}{out}"
    )
    job_errors = [ln for ln in out.splitlines() if ": ERROR " in ln]
    failed = code not in ok_codes or bool(job_errors)
    if bad is False or (bad is None and not failed):
        assert not failed, f"[{door}] {label}: exit {code}\n{err[-2000:]}{out[-1000:]}"
        verdicts = [ln for ln in out.lower().splitlines() if "pass" in ln or "fail" in ln]
        assert not any("nan" in ln.split() for ln in verdicts), (
            f"[{door}] {label}: NaN in a verdict\n{out}"
        )
        TALLY[door]["correct"].add(label)
        return code, out, err
    assert failed, f"[{door}] {label}: accepted a bad input (exit {code})\n{out[-500:]}"
    lines = [ln for ln in err.strip().splitlines() if ln.strip()] or job_errors
    assert lines, f"[{door}] {label}: exit {code} without a message"
    check_message(lines[-1], names, given, check_given=given is not None, door=f"{door}: {label}")
    TALLY[door]["error"].add(label)
    return code, out, err
