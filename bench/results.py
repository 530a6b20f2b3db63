"""bench/RESULTS.md: each benchmark owns one "## " section and rewrites only that one."""

from __future__ import annotations

from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def write_section(section: str) -> None:
    """Replace the section whose heading ``section`` starts with, or append it; keep the rest."""
    heading = section.split("\n", 1)[0]
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n\n"
    start = text.find(heading + "\n")
    if start >= 0:
        end = text.find("\n## ", start + 1)
        text = text[:start] + section + (text[end + 1:] if end >= 0 else "")
    else:
        text = text.rstrip() + "\n\n" + section
    RESULTS.write_text(text)
