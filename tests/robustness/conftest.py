"""Bad-input suite: the tally printed at the end of the session (settings: ``harness.SUITE``)."""

from __future__ import annotations

import os

from harness import TALLY

#: the suite asks for at least this many distinct cases when it runs whole
MIN_CASES = 200


def tally_lines() -> list[str]:
    """The tally as printable lines: cases per door, how many errors / correct behaviours."""
    lines = [f"{'door':30s} {'cases':>6s} {'errors':>7s} {'correct':>8s}"]
    total = errors = correct = 0
    for door in sorted(TALLY):
        e, c = len(TALLY[door]["error"]), len(TALLY[door]["correct"])
        lines.append(f"{door:30s} {e + c:6d} {e:7d} {c:8d}")
        total, errors, correct = total + e + c, errors + e, correct + c
    lines.append(f"{'total':30s} {total:6d} {errors:7d} {correct:8d}")
    return lines


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not TALLY:
        return
    terminalreporter.section("bad-input suite: cases per door")
    for line in tally_lines():
        terminalreporter.write_line(line)
    total = sum(len(v["error"]) + len(v["correct"]) for v in TALLY.values())
    if total < MIN_CASES and not os.environ.get("PYTEST_XDIST_WORKER"):
        terminalreporter.write_line(
            f"(fewer than {MIN_CASES} cases: only part of the suite ran, or it shrank)"
        )
