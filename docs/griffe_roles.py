"""A griffe extension: Sphinx roles in spikey's docstrings become Markdown for the site.

spikey's numpy-style docstrings name other objects the Sphinx way, ``:func:`run```,
``:class:`~spikey.snn.synapse.MSTDP```. mkdocstrings renders docstrings as Markdown, where
those would show as raw text. Each role becomes a cross-reference to the object's section
in the API reference when the name resolves to an object the reference shows (public
path, a docstring), and plain code otherwise, so a stale name never breaks the strict build.
A ``::`` that opens an indented literal block (reST) becomes ``:``, bracketed usage
such as ``[minutes] [out.png]`` is kept from reading as a Markdown reference link, and a
"Parameters" section in a module's docstring (a module takes none) is shown as the prose it is.
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

    return LITERAL.sub(r"\1:\2", ROLE.sub(one, unlink(text)))


MODULE_PARAMS = re.compile(r"^(Parameters|Other Parameters)\n-{3,}\n", re.MULTILINE)
ADJACENT = re.compile(r"\]([ \t]+)\[")
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")


def unlink(text: str) -> str:
    """Usage lines such as ``x.py [minutes] [out.png]`` in prose read as a Markdown reference
    link (text, then label) and break the strict build: the second bracket is escaped
    (outside code spans and indented or fenced code)."""
    out, fenced, prev_blank, in_code = [], False, True, False
    for line in text.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        in_code = line.startswith(("    ", "\t")) and (in_code or prev_blank)
        prev_blank = not line.strip()
        if fenced or in_code or "] " not in line:
            out.append(line)
            continue
        parts, pos = [], 0
        for m in CODE_SPAN.finditer(line):
            parts.append(ADJACENT.sub(r"]\1\\[", line[pos : m.start()]))
            parts.append(m.group(0))
            pos = m.end()
        parts.append(ADJACENT.sub(r"]\1\\[", line[pos:]))
        out.append("".join(parts))
    return "\n".join(out)


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
                text = rewrite(obj.docstring.value, obj, modules)
                if obj.is_module:  # a module has no parameters: such a section is prose
                    text = MODULE_PARAMS.sub(r"**\1**\n\n", text)
                obj.docstring.value = text
            for member in obj.members.values():
                if not member.is_alias:
                    visit(member)

        visit(pkg)
