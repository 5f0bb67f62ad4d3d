"""``spikey list``: the registered experiments; ``spikey list NAME``: one in detail."""

from __future__ import annotations

import ast
import inspect
import sys

from spikey.experiments import registry
from spikey.module import ConfigError


def add_arguments(parser):
    parser.add_argument("name", nargs="?", help="show one experiment: parameters, metrics")
    parser.add_argument(
        "--all", action="store_true", help="include the runner's test experiments (toy.*)"
    )


def describe(exp: registry.Experiment) -> str:
    """The text ``spikey list NAME`` prints: parameters with defaults, metrics, criteria."""
    lines = [f"{exp.name}: {exp.description}", "parameters (--set KEY=VALUE, --param):"]
    for key, value in exp.defaults.items():
        quick = f"  (--quick: {exp.quick[key]!r})" if key in exp.quick else ""
        lines.append(f"  {key} = {_short(value)}{quick}")
    if not exp.defaults:
        lines.append("  (none)")
    lines.append("metrics (--metric): " + (", ".join(exp.metrics) or "(not declared)"))
    criteria = criteria_of(exp)
    lines.append("criteria (pass when every gating one holds):" if criteria else "criteria: none")
    lines.extend(f"  {c}" for c in criteria)
    return "\n".join(lines)


def criteria_of(exp: registry.Experiment) -> list[str]:
    """The pass/fail checks the experiment makes, read from its module's source.

    Every ``result.check(name, value, op, threshold, ...)`` call in the module that defines
    the experiment's function, as ``name: op threshold`` (threshold as written in the
    code; ``(reported)`` where ``gating=False``). Empty when the source is not available.
    """
    try:
        tree = ast.parse(inspect.getsource(inspect.getmodule(exp.func)))
    except (OSError, TypeError, SyntaxError):
        return []
    out = []
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "check"
            and len(node.args) >= 4
        ):
            continue
        name, _, op, threshold = node.args[:4]
        label = name.value if isinstance(name, ast.Constant) else ast.unparse(name)
        op_text = op.value if isinstance(op, ast.Constant) else ast.unparse(op)
        gating = next((k.value for k in node.keywords if k.arg == "gating"), None)
        if gating is None and len(node.args) >= 5:
            gating = node.args[4]
        reported = isinstance(gating, ast.Constant) and gating.value is False
        line = f"{label}: {op_text} {ast.unparse(threshold)}" + ("  (reported)" if reported else "")
        if line not in out:
            out.append(line)
    return out


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 70 else text[:67] + "..."


def main(args) -> int:
    if args.name:
        try:
            exp = registry.get(args.name)
        except ConfigError as err:
            print(f"spikey list: error: {err}", file=sys.stderr)
            return 2
        print(describe(exp))
        return 0
    for name in registry.names(include_hidden=args.all):
        exp = registry.REGISTRY[name]
        print(f"{name:28s} {exp.description}")
    return 0
