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


@cache
def rule_pattern(name: str, table: str, key: str, ignore_case: bool = False) -> re.Pattern[str]:
    """The pattern ``key`` of the table ``[table]`` in `rules/<name>.toml`, compiled (cached)."""
    return compile_pattern(load_rules(name)[table][key], ignore_case)


@cache
def rule_text(name: str, table: str, key: str) -> str:
    """The text ``key`` of the table ``[table]`` in `rules/<name>.toml` (a label or a template)."""
    return str(load_rules(name)[table][key])
