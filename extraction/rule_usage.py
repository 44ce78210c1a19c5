"""How many report lines each status and category pattern matches: a rule that matches exactly
one line of the report was written from that line (memorised), not from how the report reads.

`python -m extraction.rule_usage [--report PATH] [--list]` prints the counts per rule file (and
with ``--list`` the single-line patterns). `tests/test_rule_usage.py` keeps the count down.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass

from extraction.lexicon import load_rules
from extraction.report import read_report
from extraction.rules import lower_pattern, lowered
from works.settings import load_settings

__all__ = ["RuleUsage", "category_patterns", "rule_usage", "status_patterns"]


def status_patterns() -> list[str]:
    """Every status cue pattern of `rules/status.toml`."""
    return [p for cue in load_rules("status")["cue"] for p in cue["patterns"]]


def category_patterns() -> list[str]:
    """Every category cue pattern of `rules/categories.toml` (own, weak and sole cues)."""
    return [
        p
        for c in load_rules("categories")["category"]
        for key in ("cues", "weak_cues", "sole_cues")
        for p in c.get(key, [])
    ]


@dataclass(frozen=True)
class RuleUsage:
    """One rule file's patterns and the number of report lines each matches."""

    name: str
    lines: dict[str, int]

    @property
    def single_line(self) -> list[str]:
        """Patterns that match exactly one line of the report."""
        return [p for p, n in self.lines.items() if n == 1]


def _count(patterns: list[str], lines: list[str]) -> dict[str, int]:
    low = [lowered(line) for line in lines]
    out: dict[str, int] = {}
    for p in patterns:
        exact = p.isupper()
        pat = re.compile(p if exact else lower_pattern(p))
        out[p] = sum(1 for line, lo in zip(lines, low, strict=True) if pat.search(line if exact else lo))
    return out


def rule_usage(text: str) -> list[RuleUsage]:
    """The usage of the status and the category patterns on the report `text`."""
    lines = text.splitlines()
    return [
        RuleUsage("status", _count(status_patterns(), lines)),
        RuleUsage("categories", _count(category_patterns(), lines)),
    ]


def main(argv: list[str] | None = None) -> int:
    """Print the number of patterns and of single-line patterns per rule file."""
    parser = argparse.ArgumentParser(prog="python -m extraction.rule_usage")
    parser.add_argument("--report")
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args(argv)
    for usage in rule_usage(read_report(load_settings(report=args.report).report)):
        unused = sum(1 for n in usage.lines.values() if n == 0)
        print(
            f"{usage.name}: {len(usage.lines)} patterns, "
            f"{len(usage.single_line)} match exactly one line, {unused} none"
        )
        if args.list:
            for p in usage.single_line:
                print(f"  {p}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
