"""What a careful French reader would circle in red, as checks a test can run on any text.

Used on two sources (tests/bot/test_french_text.py): every French string literal of the code that
users see, read from the modules' syntax trees, and every reply of a scripted conversation with the
real bot. The house conventions the checks enforce are written down in CONTRIBUTING.md.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from domain.text import NUMBER_BEFORE_WORD
from tests.paths import ROOT

SCANNED_FOLDERS = ("bot", "dialogs", "scheduler", "storage", "domain")
NOT_SCANNED = {
    "storage/migrations": "database migrations: SQL and seed rows, rewritten by later revisions, never shown as is",
    "domain/understanding": "intents' example phrasings, written as people type them: matched, never shown "
    "(the replies of intents are read in the conversation test)",
}

LOG_RECEIVERS = {"log", "logger", "logging", "_log", "LOG"}
REGEX_FUNCTIONS = {"compile", "match", "search", "fullmatch", "sub", "subn", "findall", "finditer", "split"}
TYPED_KEYWORDS = {"synonyms", "patterns", "phrasings", "aliases", "examples_typed"}
"""Keyword arguments whose strings are what people type (matched against folded input), not shown."""

_WORD = r"[A-Za-zÀ-ÖØ-öø-ÿŒœ]"
_FRENCH_WORDS = {
    "le", "la", "les", "de", "des", "du", "un", "une", "vous", "votre", "vos", "est", "et", "à", "pour",
    "pas", "ne", "sur", "dans", "au", "aux", "en", "ce", "cette", "qui", "que", "je", "avec", "par", "son",
    "sa", "ses", "leur", "leurs", "été", "être", "ou", "plus", "aucun", "aucune", "tapez", "il", "elle",
}
_ACCENTED = re.compile(r"[àâäçéèêëîïôöùûüÿœæÀÂÇÉÈÊÎÔÙÛŒ«»’]")

MONTHS = r"(?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)\b"

CHECKS: dict[str, re.Pattern[str]] = {
    "plural in parentheses « (s) »": re.compile(_WORD + r"\((s|e|es|x|nt|le|ne)\)"),
    "straight apostrophe": re.compile(r"(?<=" + _WORD + r")'(?=[*_«]*" + _WORD + r")"),
    "ordinary space before : ; ? ! % €": re.compile(r" [:;?!€]| %(?![a-zA-Z(])"),
    "no space before : ; ? ! % €": re.compile(r"(?<=" + _WORD + r")[;!?](?=\s|$)|(?<=" + _WORD + r"):(?=\s)|\d%|\d€"),
    "ordinary space inside « guillemets »": re.compile(r"« | »"),
    "ordinary space in an hour « 14 h 00 »": re.compile(r"\d h \d\d"),
    "ordinary space between a day and its month": re.compile(r"(?:\b\d|\d\d|1er) " + MONTHS),
    "ordinary space between a month and its year « décembre 2026 »": re.compile(MONTHS + r" \d{4}\b"),
    "ordinary space after « n° »": re.compile(r"\bn° "),
    "ordinary space or hyphen in an article reference « L. 2113‑12 »": re.compile(
        r"\b(?:[LRD]|[Aa]rt)\. \d|\b(?:[LRD]|[Aa]rt)\.[ \u00a0]\d+-\d|\b[LRD]\d{3,}-\d"
    ),
    "ordinary space after an arrow « ↑ en progrès »": re.compile(r"[↑↓→↗↘] "),
    "ordinary space between a number and the word it counts « 12 mois »": NUMBER_BEFORE_WORD,
    "ordinary space inside a number": re.compile(r"(?<![\d,.])\d{1,3}(?: \d{3})+(?!\d)"),
    "nested parentheses": re.compile(r"\([^()]*\([^()]*\)[^()]*\)"),
    "abbreviation « ex. » for « par exemple »": re.compile(r"(?<![\w.])(?:[Ee]x|p\. ?ex)\.(?=[\s\u00a0])"),
    # « Rencontre acheteurs : le SPASER » is the founding text's title, cited as published.
    "masculine-only role noun": re.compile(
        r"\b(?:[Ll]e|[Aa]u|[Dd]u|[Uu]n|[Cc]e|[Ss]eul le|[Ss]on) responsable\b"
        r"|\b[ÉéEe]lus?\b(?!·)|\b[Ll]’élu\b|\b[Uu]n élu\b"
        r"|\b[Cc]ontributeurs?\b(?!·)|\b[Dd]irecteurs?\b(?!·)|\b[Uu]tilisateurs?\b(?!·)|\b[Aa]gents\b(?!·| Playground)"
        r"|(?<!Rencontre )(?<!Rencontre\u00a0)\b[Aa]cheteurs\b(?!·)|\b[Ff]acilitateurs?\b(?!·)|, eux\b|\b[Ee]ux seuls\b"
    ),
}


@dataclass(frozen=True)
class Finding:
    where: str
    check: str
    text: str

    def __str__(self) -> str:
        return f"{self.where}: {self.check}: {self.text!r}"


def problems(text: str) -> list[str]:
    """The names of the checks `text` fails."""
    return [name for name, pattern in CHECKS.items() if pattern.search(text)]


_FRENCH_SPACING = re.compile(r"[\w*»)][ \u00a0\u202f][:;?!](?:\s|$)")
"""« mot : », « mot ? »: no English text puts a space there, so even « Date : X » is French."""


def looks_french(text: str) -> bool:
    """Prose in French, as opposed to identifiers, SQL, English log lines or format strings."""
    if _FRENCH_SPACING.search(text) or "«" in text or "»" in text:
        return True
    words = re.findall(_WORD + r"+", text)
    if len(words) < 2:
        return False
    french = sum(word.lower() in _FRENCH_WORDS for word in words)
    return french >= 2 or (french >= 1 and bool(_ACCENTED.search(text)))


_SEPARATOR = re.compile(r"[ \u00a0\u202f]?[:;][ \u00a0\u202f]?")
"""« : » and « ; » joining French pieces (`" ; ".join(…)`): too short to look French, shown all the same."""


def looks_like_regex(text: str) -> bool:
    return bool(re.search(r"\\[bswdBSWD]|\(\?|\[\^|\^\(|\$$|\)\?|\w\|\w|\|\(", text))


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _is_docstring(node: ast.AST, parent: ast.AST | None, grandparent: ast.AST | None) -> bool:
    if not isinstance(parent, ast.Expr) or not isinstance(
        grandparent, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef
    ):
        return False
    return True  # a bare string statement is a docstring or an attribute's doc, never shown


def _call_name(call: ast.Call) -> tuple[str | None, str | None]:
    func = call.func
    if isinstance(func, ast.Attribute):
        receiver = func.value.id if isinstance(func.value, ast.Name) else None
        return receiver, func.attr
    if isinstance(func, ast.Name):
        return None, func.id
    return None, None


def _hidden(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Inside a log call, a regular expression, or a list of words people type."""
    child, parent = node, parents.get(node)
    while parent is not None:
        if isinstance(parent, ast.keyword) and parent.arg in TYPED_KEYWORDS:
            return True
        if isinstance(parent, ast.Call):
            receiver, name = _call_name(parent)
            if receiver in LOG_RECEIVERS:
                return True
            if receiver == "re" and name in REGEX_FUNCTIONS:
                return True
            if name == "Command" and child in parent.args[1:2]:
                return True
        child, parent = parent, parents.get(parent)
    return False


def literal_text(node: ast.Constant | ast.JoinedStr) -> str:
    """A string constant, or an f-string with each replacement field written as « X »."""
    if isinstance(node, ast.Constant):
        return node.value
    return "".join(part.value if isinstance(part, ast.Constant) else "X" for part in node.values)


def french_string_nodes(tree: ast.AST) -> Iterator[tuple[ast.expr, str]]:
    """(node, text) of each French string literal or f-string of a module that can reach a user."""
    parents = _parents(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if isinstance(parents.get(node), ast.JoinedStr):
                continue
        elif not isinstance(node, ast.JoinedStr):
            continue
        parent = parents.get(node)
        if _is_docstring(node, parent, parents.get(parent)) or _hidden(node, parents):
            continue
        text = literal_text(node)
        if (looks_french(text) or _SEPARATOR.fullmatch(text)) and not looks_like_regex(text):
            yield node, text


def user_facing_strings(path: Path) -> Iterator[tuple[int, str]]:
    """(line, text) of each French string literal of a module that can reach a user."""
    for node, text in french_string_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        yield node.lineno, text


def scanned_modules() -> Iterator[Path]:
    for folder in SCANNED_FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if not any(relative.startswith(skipped + "/") for skipped in NOT_SCANNED):
                yield path


def scan_code() -> list[Finding]:
    findings = []
    for path in scanned_modules():
        relative = path.relative_to(ROOT).as_posix()
        for line, text in user_facing_strings(path):
            findings.extend(Finding(f"{relative}:{line}", check, text) for check in problems(text))
    return findings
