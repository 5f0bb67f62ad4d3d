"""Docstrings as Markdown for the generated pages."""

from __future__ import annotations

import inspect
import re

ROLE = re.compile(r":(?:py:)?[a-z]+:`~?([^`]+)`")
LITERAL = re.compile(r"(\S)::(\s*\n\s*\n[ \t]+)")
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")


def escape_brackets(line: str) -> str:
    """``[`` and ``]`` of a prose line escaped (code spans left alone), so that text such as
    ``[out.png]`` is not read as a cross-reference."""
    out, pos = [], 0
    for m in CODE_SPAN.finditer(line):
        out.append(line[pos : m.start()].replace("[", "\\[").replace("]", "\\]"))
        out.append(m.group(0))
        pos = m.end()
    out.append(line[pos:].replace("[", "\\[").replace("]", "\\]"))
    return "".join(out)


def markdown(doc: str | None) -> str:
    """A docstring as Markdown: dedented, reST roles as code, ``::`` literal openers as ``:``,
    brackets in prose escaped; indented (code) blocks kept as they are."""
    text = inspect.cleandoc(doc or "")
    text = ROLE.sub(lambda m: f"`{m.group(1)}`", text)
    text = LITERAL.sub(r"\1:\2", text)
    out, prev_blank, in_code = [], True, False
    for line in text.splitlines():
        indented = line.startswith(("    ", "\t"))
        in_code = indented and (in_code or prev_blank)
        out.append(line if in_code else escape_brackets(line))
        prev_blank = not line.strip()
    return "\n".join(out)


SENTENCE_END = re.compile(r"(?<!Fig)(?<!e\.g)(?<!i\.e)(?<!al)[.?!](?=\s)")


def split_title(doc: str | None) -> tuple[str, str]:
    """(title, the rest as Markdown) of a docstring. The title is the first line when it ends
    a sentence or its paragraph, else the first sentence of the first paragraph."""
    text = inspect.cleandoc(doc or "")
    lines = text.splitlines() or [""]
    first = lines[0].strip()
    if first.endswith((".", "?", "!", ":")) or len(lines) == 1 or not lines[1].strip():
        return escape_brackets(first), markdown("\n".join(lines[1:]).strip("\n"))
    paragraph, _, after = text.partition("\n\n")
    joined = " ".join(line.strip() for line in paragraph.splitlines())
    end = SENTENCE_END.search(joined)
    if end is None:
        return escape_brackets(joined), markdown(after)
    title, rest = joined[: end.end()], joined[end.end() :].strip()
    return escape_brackets(title), markdown(rest + ("\n\n" + after if after else ""))
