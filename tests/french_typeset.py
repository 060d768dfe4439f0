"""Apply the mechanical part of the house typography to the user-facing literals that
tests/french_support.py finds: ’ for a straight apostrophe between letters, U+00A0 for the ordinary
space before « : ; ? ! % € », inside « guillemets », in « 14 h 00 », between a day and its month
and between a month and its year (« 6 décembre 2026 »), U+202F between digit groups, and what `domain.text.unbreakable` joins
(« L. 2113‑12 », « ↑ en progrès », a number and the word it counts: « 12 mois », « 11 autres »). Only the text outside f-string
replacement fields is touched; plurals and inclusive wording stay a writer's job (the scan test
names them).

    .venv/bin/python -m tests.french_typeset            # every scanned module
    .venv/bin/python -m tests.french_typeset bot/cli.py  # some of them

Meant for after a merge that brought new texts: run it, read the diff, run the scan test.
"""

from __future__ import annotations

import ast
import io
import re
import sys
import tokenize
from pathlib import Path

from domain.text import unbreakable
from tests.french_support import (
    MONTHS,
    french_string_nodes,
    scanned_modules,
)
from tests.paths import ROOT

_WORD = r"[A-Za-zÀ-ÖØ-öø-ÿŒœ]"
_APOSTROPHE = re.compile(r"(?<=" + _WORD + r")\\?'(?=[*_«]*" + _WORD + ")")
_SPACE = re.compile(r" (?=[:;?!€])| (?=%(?![a-zA-Z(]))")
_NUMBER = re.compile(r"(?<![\d,.])(\d{1,3})((?: \d{3})+)(?!\d)")
_INSIDE_QUOTES = re.compile(r"(?<=«) | (?=»)")
_HOUR = re.compile(r"(?<=\d) h (?=\d\d)")
_DAY_MONTH = re.compile(r"(\b\d{1,2}|1er) (?=" + MONTHS + r")")
_NUMERO = re.compile(r"(?<=\bn°) ")


def typeset(text: str) -> str:
    text = _APOSTROPHE.sub("’", text)
    text = _SPACE.sub("\u00a0", text)
    text = _INSIDE_QUOTES.sub("\u00a0", text)
    text = _HOUR.sub("\u00a0h\u00a0", text)
    text = _DAY_MONTH.sub("\\1\u00a0", text)
    text = _NUMERO.sub("\u00a0", text)
    text = unbreakable(text)
    return _NUMBER.sub(lambda found: found.group(1) + found.group(2).replace(" ", "\u202f"), text)


def _typeset_token(token: str) -> str:
    prefix = re.match(r"^[rRbBuUfF]*", token).group(0)
    quote = re.match(r"('''|\"\"\"|'|\")", token[len(prefix):]).group(1)
    body = token[len(prefix) + len(quote): -len(quote)]
    if "f" not in prefix.lower():
        return prefix + quote + typeset(body) + quote
    out, text, depth, index = [], "", 0, 0
    while index < len(body):
        char = body[index]
        if depth == 0 and body.startswith("{{", index):
            text += "{{"
            index += 2
            continue
        if depth == 0 and char != "{":
            text += char
        else:
            if depth == 0:
                out.append(typeset(text))
                text = ""
            depth += {"{": 1, "}": -1}.get(char, 0)
            out.append(char)
        index += 1
    out.append(typeset(text))
    return prefix + quote + "".join(out) + quote


def _spans(tree: ast.AST) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    return [
        ((node.lineno, node.col_offset), (node.end_lineno, node.end_col_offset))
        for node, _ in french_string_nodes(tree)
    ]


def typeset_module(path: Path) -> int:
    """Rewrite the module in place; the number of string tokens changed."""
    source = path.read_text(encoding="utf-8")
    spans = _spans(ast.parse(source))
    lines = source.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def byte_column(position: tuple[int, int]) -> tuple[int, int]:  # ast counts UTF-8 bytes
        line, column = position
        return line, len(lines[line - 1][:column].encode("utf-8"))

    edits = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type != tokenize.STRING:
            continue
        start, end = byte_column(token.start), byte_column(token.end)
        if any(first <= start and end <= last for first, last in spans):
            new = _typeset_token(token.string)
            if new != token.string:
                edits.append((starts[token.start[0] - 1] + token.start[1], starts[token.end[0] - 1] + token.end[1], new))
    for begin, finish, new in sorted(edits, reverse=True):
        source = source[:begin] + new + source[finish:]
    if edits:
        path.write_text(source, encoding="utf-8")
    return len(edits)


def main(arguments: list[str]) -> None:
    paths = [ROOT / argument for argument in arguments] or list(scanned_modules())
    for path in paths:
        changed = typeset_module(path)
        if changed:
            print(f"{path.relative_to(ROOT)}: {changed}")


if __name__ == "__main__":
    main(sys.argv[1:])
