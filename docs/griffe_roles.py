"""A griffe extension: Sphinx roles in spikey's docstrings become Markdown for the site.

spikey's numpy-style docstrings name other objects the Sphinx way, ``:func:`run```,
``:class:`~spikey.snn.synapse.MSTDP```. mkdocstrings renders docstrings as Markdown, where
those would show as raw text. Each role becomes a cross-reference to the object's section
in the API reference when the name resolves to an object the reference shows (public
path, a docstring), and plain code otherwise, so a stale name never breaks the strict build.
A ``::`` that opens an indented literal block (reST) becomes ``:``.
"""

from __future__ import annotations

import re

import griffe

ROLE = re.compile(r":(?:py:)?(?:mod|func|class|data|meth|attr|obj|exc):`(~?)([^`]+)`")
LITERAL = re.compile(r"(\S)::(\s*\n\s*\n[ \t]+)")


def _shown(obj) -> bool:
    """Whether the reference renders ``obj``: every step of its path public, and every
    non-module object on the way with a docstring (objects without one are not rendered)."""
    if any(part.startswith("_") for part in obj.path.split(".")):
        return False
    while obj is not None and not obj.is_module:
        if not obj.docstring:
            return False
        obj = obj.parent
    return True


def _resolve(name: str, context, modules):
    """The object ``name`` means where ``context`` is documented, or None."""
    name = name.strip().rstrip("()")
    candidates = [name]
    scope = context
    while scope is not None:  # relative names: the object's own scope, then outwards
        candidates.append(f"{scope.path}.{name}")
        scope = scope.parent
    for path in candidates:
        try:
            found = modules.get_member(path)
        except (KeyError, ValueError, AttributeError, griffe.AliasResolutionError):
            continue
        try:
            while found.is_alias:
                found = found.final_target
        except (griffe.AliasResolutionError, griffe.CyclicAliasError):
            return None
        return found
    return None


def rewrite(text: str, context, modules) -> str:
    """``text`` with its roles as cross-references or code, and ``::`` literal openers as ``:``."""

    def one(match):
        short, name = match.groups()
        label = name.rsplit(".", 1)[-1] if short else name
        target = _resolve(name, context, modules)
        if target is not None and _shown(target):
            return f"[`{label}`][{target.path}]"
        return f"`{label}`"

    return LITERAL.sub(r"\1:\2", ROLE.sub(one, text))


class SphinxRoles(griffe.Extension):
    """Rewrite every docstring of a loaded package (see the module docstring)."""

    def on_package(self, *, pkg, loader, **kwargs) -> None:
        """Walk ``pkg`` once it is loaded, so that every name can be resolved."""
        modules = loader.modules_collection
        seen = set()

        def visit(obj):
            if obj.path in seen:
                return
            seen.add(obj.path)
            if obj.docstring is not None:
                obj.docstring.value = rewrite(obj.docstring.value, obj, modules)
            for member in obj.members.values():
                if not member.is_alias:
                    visit(member)

        visit(pkg)
