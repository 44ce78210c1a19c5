"""Load the readable rule files in `extraction/rules/` once.

Keeping the cue lists and place words in TOML means a reviewer can read and correct them
without touching code; this module only compiles them.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

RULES_DIR = Path(__file__).with_name("rules")


@cache
def load_rules(name: str) -> dict[str, Any]:
    """Parse `rules/<name>.toml` (cached: the files are read once per process)."""
    with (RULES_DIR / f"{name}.toml").open("rb") as fh:
        return tomllib.load(fh)


@cache
def compile_pattern(pattern: str, ignore_case: bool = False) -> re.Pattern[str]:
    """Compile a rule pattern; cached because the same cues are matched against every clause."""
    return re.compile(pattern, re.IGNORECASE if ignore_case else 0)
