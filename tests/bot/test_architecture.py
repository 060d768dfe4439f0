"""The floors of the house (ARCHITECTURE.md), checked by import-linter's contracts in pyproject.toml."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.paths import ROOT


def test_every_import_points_down_a_floor_and_botbuilder_stays_in_bot_and_dialogs():
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(linter), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_starting_the_app_leaves_the_heavy_libraries_to_the_turns_that_need_them():
    """matplotlib alone added 37 MB to every instance when a chat answer imported the report module
    for one small function: these libraries are imported where a chart, a PDF, a spreadsheet or a
    migration is made."""
    heavy = ("matplotlib", "fpdf", "openpyxl", "pypdf", "jsonschema", "alembic")
    probe = f"import sys, app; print(sorted(name for name in {heavy!r} if name in sys.modules))"
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "[]"
