"""wordfreq's French list for the knowledge base, built in a short-lived process at start-up.

Built in the bot's own process, the list peaks at ~55 MB and leaves ~30 MB behind for good; the
compact copy the knowledge base reads is ~4 MB (domain/knowledge/frequency.py). So the start-up
warm-up has `python -m domain.knowledge.frequency` build it (on the other core while this one
compiles the recognizers) and keeps only the result. If that fails, the list is built here.
"""

from __future__ import annotations

import logging
import marshal
import os
import subprocess
import sys
from pathlib import Path

import domain
from domain.knowledge.frequency import TABLE, CompactFrequencies, french_zipf

log = logging.getLogger(__name__)

BUILD_TIMEOUT_S = 120


class WordFrequencyBuild:
    """Started at once; `finish` installs the list (waiting for the process if need be)."""

    def __init__(self) -> None:
        self._process: subprocess.Popen | None = None
        if TABLE.ready:  # another runtime of this process (tests) already has it
            return
        root = str(Path(domain.__file__).resolve().parents[1])
        environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (root, os.environ.get("PYTHONPATH"))))}
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "domain.knowledge.frequency"],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment,
            )
        except OSError as error:
            log.warning("Word frequencies will be built in this process: %s", error)

    def finish(self) -> None:
        if self._process is not None:
            try:
                output, errors = self._process.communicate(timeout=BUILD_TIMEOUT_S)
                if self._process.returncode != 0:
                    raise ValueError(errors.decode(errors="replace")[-500:])
                TABLE.use(CompactFrequencies(marshal.loads(output)))
            except (subprocess.SubprocessError, ValueError, EOFError, TypeError) as error:
                self._process.kill()
                log.warning("Word frequencies will be built in this process: %s", error)
        french_zipf("spaser")
