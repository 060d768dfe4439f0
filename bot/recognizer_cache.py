"""Makes the French recognizers cheap to build: what their regular expressions compile to is kept
on disk and handed back to the regex engine at the next start.

Recognizers-Text (numbers, amounts, dates) compiles ~200 large expressions with the `regex`
module, whose parser and optimiser are pure Python: ~4 s of CPU at every start on a 2-vCPU VM
(7–18 s under load), while `/healthz` says « starting ». What that compiler produces is a list of
integers and a few tables, passed to the C engine (`_regex.compile`). This module records those
arguments the first time, writes them to a JSON file named after the versions of Python, regex and
Recognizers-Text, and afterwards gives them to the C engine directly: the same pattern objects,
built in a fraction of a second. Each distinct expression is also built once per process (the
recognizers ask for some of them hundreds of times). Anything unexpected — another version, a
damaged file, an expression not in the file — falls back to the ordinary compiler.

The folder must be as trusted as the installation itself (the same account writes both): what it
holds is handed to the C engine as compiled code. A checksum catches a damaged file.

The library is patched process-wide (`RegExpUtility.get_safe_reg_exp`, and a pass-through in front
of the C engine that records what it is given): `install` does it once per process.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import sys
import threading
from array import array
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import regex
import regex._main as regex_main
from recognizers_text.utilities import RegExpUtility

log = logging.getLogger(__name__)

FORMAT_VERSION = 2
_DEFAULT_FLAGS = regex.I | regex.S
_ENGINE_ARGUMENTS = 11
"""pattern, flags, code, group_index, index_group, named_lists, named_list_indexes, req_offset,
req_chars, req_flags, group_count: what regex's compiler passes to `_regex.compile`."""


def _versions() -> str:
    try:
        recognizers = version("recognizers-text")
    except PackageNotFoundError:
        recognizers = "unknown"
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    return f"python-{python}-regex-{regex.__version__}-recognizers-{recognizers}-v{FORMAT_VERSION}"


class _RecordingEngine:
    """Stands in for `_regex` inside regex's compiler: passes everything through, and keeps the
    arguments of `compile` for the thread that asked (other threads compile as usual)."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.local = threading.local()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.engine, name)

    def compile(self, *arguments: Any) -> Any:
        captured = getattr(self.local, "captured", None)
        if captured is not None:
            captured.append(arguments)
        return self.engine.compile(*arguments)


_INSTALL_LOCK = threading.Lock()


def _recorder() -> _RecordingEngine:
    """The pass-through in front of regex's C engine, put there once per process."""
    with _INSTALL_LOCK:
        if not isinstance(regex_main._regex, _RecordingEngine):
            regex_main._regex = _RecordingEngine(regex_main._regex)
        return regex_main._regex


def _encode(arguments: tuple) -> list | None:
    """The engine's arguments as JSON values, or None when they do not survive the round trip
    (a named list, say): such an expression is compiled normally at each start."""
    if len(arguments) != _ENGINE_ARGUMENTS:
        return None
    pattern, flags, code, group_index, index_group, named_lists, named_list_indexes, *rest = arguments
    if not isinstance(pattern, str) or named_lists or any(named_list_indexes):
        return None
    req_offset, req_chars, req_flags, group_count = rest
    try:
        encoded = [pattern, int(flags), _pack(code), dict(group_index), sorted(index_group.items()), int(req_offset),
                   None if req_chars is None else list(req_chars), int(req_flags), int(group_count)]
        if _decode(json.loads(json.dumps(encoded))) != _plain(arguments):
            return None
    except (TypeError, ValueError, OverflowError):
        return None
    return encoded


def _plain(arguments: tuple) -> tuple:
    pattern, flags, code, group_index, index_group, named_lists, named_list_indexes, req_offset, req_chars, req_flags, \
        group_count = arguments
    return (pattern, int(flags), list(code), dict(group_index), dict(index_group), dict(named_lists),
            list(named_list_indexes), int(req_offset), req_chars, int(req_flags), int(group_count))


def _pack(code: list[int]) -> str:
    """The engine's code (~500,000 integers in all) as base64 of 32-bit words: a string per expression
    held until it is used, not a list of Python integers (~30 MB)."""
    return base64.b64encode(array("I", code).tobytes()).decode("ascii")


def _unpack(packed: str) -> list[int]:
    return array("I", base64.b64decode(packed)).tolist()


def _decode(encoded: list) -> tuple:
    pattern, flags, code, group_index, index_group, req_offset, req_chars, req_flags, group_count = encoded
    return (pattern, flags, _unpack(code), group_index, {int(number): name for number, name in index_group}, {}, [],
            req_offset, None if req_chars is None else tuple(req_chars), req_flags, group_count)


class RegexCache:
    """The recognizers' compiled expressions: built once per process, read from `directory` when a
    previous start left them there (None: in memory only)."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self.path = None if directory is None else directory / f"recognizers-{_versions()}.json"
        self._patterns: dict[tuple[str, int], Any] = {}
        self._stored: dict[tuple[str, int], list] = {}
        self._recorded: dict[tuple[str, int], list] = {}
        self._engine = _recorder().engine
        self.from_disk = 0
        self._load()

    def _load(self) -> None:
        if self.path is None or not self.path.exists():
            return
        try:
            document = json.loads(self.path.read_text(encoding="utf-8"))
            entries = document["entries"]
            if hashlib.sha256(json.dumps(entries).encode()).hexdigest() != document["sha256"]:
                raise ValueError("checksum mismatch")
            self._stored = {(entry[0], entry[1]): entry[2] for entry in entries}
        except (OSError, ValueError, KeyError, TypeError, IndexError) as error:
            log.warning("Ignoring the recognizers' cache %s: %s", self.path, error)
            self._stored = {}

    def compile(self, source: str, flags: int = _DEFAULT_FLAGS) -> Any:
        """`regex.compile(source, flags=flags)`, as Recognizers-Text calls it."""
        key = (source, int(flags))
        pattern = self._patterns.get(key)
        if pattern is None:
            pattern = self._patterns.setdefault(key, self._build(source, flags, key))
        return pattern

    def _build(self, source: str, flags: int, key: tuple[str, int]) -> Any:
        stored = self._stored.get(key)
        if stored is not None:
            try:
                pattern = self._engine.compile(*_decode(stored))
                self.from_disk += 1
                return pattern
            except Exception:  # noqa: BLE001 - an entry the engine refuses: compile it normally
                log.warning("Recompiling a recognizer expression the cache could not restore", exc_info=True)
        local = _recorder().local
        local.captured = captured = []
        try:
            pattern = regex.compile(source, flags=flags, cache_pattern=False)  # so that the engine is called
        finally:
            local.captured = None
        encoded = _encode(captured[-1]) if captured else None
        if encoded is not None:
            self._recorded[key] = encoded
        return pattern

    def save(self) -> None:
        """Write what was compiled this time and not read from the file (atomic; failures logged), then
        let go of the file's contents: the expressions built so far stay, as the recognizers hold them."""
        try:
            self._write()
        finally:
            self._stored = {}
            self._recorded = {}

    def _write(self) -> None:
        if self.path is None or not self._recorded:
            return
        merged = {**self._stored, **self._recorded}
        entries = [[source, flags, encoded] for (source, flags), encoded in merged.items()]
        document = {"versions": _versions(), "sha256": hashlib.sha256(json.dumps(entries).encode()).hexdigest(),
                    "entries": entries}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(json.dumps(document), encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError as error:
            log.warning("Could not write the recognizers' cache %s: %s", self.path, error)
            return
        log.info("Recognizers' cache written: %s (%d expressions)", self.path, len(entries))


def install(directory: Path | None) -> RegexCache:
    """Route the recognizers' compilations through a `RegexCache` on `directory` (the one already
    installed when it has the same directory: every runtime of a process shares it)."""
    current = getattr(RegExpUtility.get_safe_reg_exp, "__self__", None)
    if isinstance(current, RegexCache) and current.directory == directory:
        return current
    cache = RegexCache(directory)
    RegExpUtility.get_safe_reg_exp = staticmethod(cache.compile)
    return cache
