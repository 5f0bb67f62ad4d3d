"""No module reads another module's private names (issue 11.5), checked statically.

Read with ``ast`` over ``spikey/**`` (nothing is imported). Two kinds of access count:

- ``from spikey.x import _name`` (or ``import spikey.x`` then ``spikey.x._name``) in a module
  other than ``spikey.x``;
- ``obj._name`` where ``obj`` is not ``self`` or ``cls``: another object's private attribute
  (a part's ``w._max_delay``, a game's ``game._Force_Mag``). ``Module.settings`` is the
  public way to read a part's keys (``part.settings.max_delay``).

Dunder names (``__name__``) are public, and so is a NamedTuple's API (``state._asdict()``,
``args._replace(...)``). A class may read private attributes of another
instance of itself (``other._x`` inside ``__eq__``), and a module may read the private
names it defines itself: both are listed by the checker as "own" and allowed.
``ALLOWED`` names the few remaining exceptions, each with its reason; it should only shrink.
"""

from __future__ import annotations

import ast
from pathlib import Path

import spikey

ROOT = Path(spikey.__file__).parent

#: "path:what" -> why it is allowed. Keep it empty or near-empty; each entry names who removes it.
_WEIGHTS = (
    "the original Spikey's weight protocol: a duck-typed weight object exposes _matrix (and "
    "_max_weight), which the built-in rules write in place"
)
_OPTUNA = "optuna exposes a trial's storage id only as _trial_id (a third-party object)"
ALLOWED: dict[str, str] = {
    "spikey/runner/sweep/optuna_search.py:trial._trial_id": _OPTUNA,
    "spikey/runner/sweep/optuna_search.py:t._trial_id": _OPTUNA,
    "spikey/snn/synapse/mstdp.py:self.weights._matrix": _WEIGHTS,
    "spikey/snn/synapse/template.py:weights._matrix": _WEIGHTS,
}


#: the public API of ``typing.NamedTuple`` (underscored only to stay clear of field names)
NAMEDTUPLE_API = frozenset({"_replace", "_asdict", "_fields", "_make", "_field_defaults"})


def private(name: str) -> bool:
    return (
        name.startswith("_")
        and not (name.startswith("__") and name.endswith("__"))
        and name not in NAMEDTUPLE_API
    )


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def defined_privates(tree: ast.AST) -> set[str]:
    """Private names this module defines: its globals, functions and classes, and the
    attributes its classes set on ``self``/``cls`` or declare in ``__slots__``."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.alias):
            names.add(node.asname or node.name.split(".")[0])
        elif isinstance(node, ast.keyword) and node.arg:  # parser.set_defaults(_main=...)
            names.add(node.arg)
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.ctx, ast.Store)
            and isinstance(node.value, ast.Name)
            and node.value.id in ("self", "cls")
        ):
            names.add(node.attr)
        elif isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__slots__" for t in node.targets
        ):
            names.update(c.value for c in ast.walk(node.value) if isinstance(c, ast.Constant))
    return {n for n in names if isinstance(n, str) and private(n)}


def crossings(path: Path) -> list[str]:
    """Every read of another module's private name in ``path``, as "path:line: what"."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    me = module_name(path)
    own = defined_privates(tree)
    rel = path.relative_to(ROOT.parent)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.startswith("spikey") and node.module != me:
                for alias in node.names:
                    if private(alias.name):
                        found.append(f"{rel}:{node.lineno}: imports {node.module}.{alias.name}")
        elif isinstance(node, ast.Attribute) and private(node.attr):
            base = node.value
            if isinstance(base, ast.Name) and base.id in ("self", "cls"):
                continue
            if node.attr in own:
                continue  # a private name this module defines (its own class, its own module)
            what = ast.unparse(node)
            found.append(f"{rel}:{node.lineno}: reads {what}")
    return found


def allowance(crossing: str) -> str:
    """The ``ALLOWED`` key of a crossing: "path:what" without the line number."""
    where, what = crossing.split(": ", 1)
    return f"{where.rsplit(':', 1)[0]}:{what.split(' ', 1)[1]}"


def test_the_checker_finds_what_it_should(tmp_path):
    (tmp_path / "spikey").mkdir()
    sample = tmp_path / "spikey" / "sample.py"
    sample.write_text(
        "from spikey.other import _hidden\n"
        "class A:\n"
        "    def __init__(self):\n"
        "        self._mine = 1\n"
        "    def f(self, w, other):\n"
        "        return w._max_delay + self._mine + other._mine + w.__class__.__name__\n"
    )
    global ROOT
    saved, ROOT = ROOT, tmp_path / "spikey"
    try:
        found = crossings(sample)
    finally:
        ROOT = saved
    assert any("imports spikey.other._hidden" in f for f in found), found
    assert any("w._max_delay" in f for f in found), found
    assert not any("_mine" in f or "__class__" in f for f in found), found


def test_no_module_reads_another_modules_private_names():
    found = [c for path in sorted(ROOT.rglob("*.py")) for c in crossings(path)]
    unexpected = [c for c in found if allowance(c) not in ALLOWED]
    report = "\n".join(unexpected)
    assert not unexpected, f"{len(unexpected)} cross-module private reads:\n{report}"
    stale = sorted(set(ALLOWED) - {allowance(c) for c in found})
    assert not stale, f"these are gone: remove them from ALLOWED: {stale}"
