"""Public functions and classes of spikey/** without a docstring (issue 11.7), listed.

Not gating yet: while some remain, the test is skipped with the count and the first names
(``pytest -rs`` shows them); once none remain it asserts that none come back.
"""

from __future__ import annotations

import ast
from pathlib import Path

import spikey

ROOT = Path(spikey.__file__).parent


def undocumented(path: Path) -> list[str]:
    """``path:line name`` for each public function, method or class without a docstring.

    Public: a name without a leading underscore, in a module, class or function that is
    itself public. Property setters and overloads that repeat a documented name are skipped.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    rel = path.relative_to(ROOT.parent)
    out = []

    def visit(node, prefix):
        seen = set()
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            name = child.name
            if name.startswith("_"):
                continue
            if name not in seen and not ast.get_docstring(child):
                out.append(f"{rel}:{child.lineno} {prefix}{name}")
            seen.add(name)
            if isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{name}.")

    if not path.name.startswith("_") or path.name == "__init__.py":
        visit(tree, "")
    return out


def test_public_names_have_docstrings():
    missing = [m for path in sorted(ROOT.rglob("*.py")) for m in undocumented(path)]
    assert not missing, f"{len(missing)} public functions/classes without a docstring: {missing}"


def test_the_lister_finds_a_missing_docstring(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        'class A:\n    """Doc."""\n    def f(self):\n        pass\n    def _g(self):\n'
        '        pass\ndef h():\n    """Doc."""\n'
    )
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        found = undocumented(sample)
    finally:
        ROOT = saved
    assert [f.split(" ")[1] for f in found] == ["A.f"]
