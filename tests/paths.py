"""Where the tests find the project and their data files, from any folder of tests/."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
