"""Markdown pieces for PR comments, run summaries and issues, safe for text a pull request controls.

A PR author controls resource names, policy messages and the whole diff, so cells are escaped (no table
breaking, no @-mentions, no HTML) and code blocks use a fence longer than any backtick run inside them.
"""
from __future__ import annotations

import re

# GitHub rejects an issue or PR comment body over 65,536 characters ("body is too long"); the REST API and
# github-script count characters, so the budget is in characters with a margin for the marker and footer.
COMMENT_LIMIT = 65_536
_MENTION = re.compile(r"@(?=[A-Za-z0-9])")


def cell(text: str, limit: int = 300) -> str:
    """One table cell: a single line, `|` escaped, no HTML, no mentions, at most `limit` characters."""
    text = " ".join(str(text).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")
    return _MENTION.sub("&#64;", text)


def code(text: str) -> str:
    """Inline code that survives backticks in the text."""
    text = " ".join(str(text).split()).replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def fenced(text: str, language: str = "") -> str:
    longest = max((len(run) for run in re.findall(r"`{3,}", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{text.rstrip()}\n{fence}"


def table(header: list[str], rows: list[list[str]], limit: int, more_hint: str) -> list[str]:
    """A table of at most `limit` rows; the rest is counted in one line that says where to find it."""
    if not rows:
        return []
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows[:limit]]
    if len(rows) > limit:
        lines.append(f"\n…and {len(rows) - limit} more {more_hint}.")
    return lines


def truncate_middle(text: str, budget: int, where_full: str) -> tuple[str, bool]:
    """Keep the head and the tail (where the CLI prints its own summary), drop whole lines in the middle."""
    if len(text) <= budget:
        return text, False
    lines = text.splitlines()
    head_budget = tail_budget = (budget - 200) // 2  # 200: the omission marker
    head: list[str] = []
    used = 0
    for line in lines:
        if used + len(line) + 1 > head_budget:
            break
        head.append(line)
        used += len(line) + 1
    tail: list[str] = []
    used = 0
    for line in reversed(lines[len(head):]):
        if used + len(line) + 1 > tail_budget:
            break
        tail.insert(0, line)
        used += len(line) + 1
    omitted = lines[len(head): len(lines) - len(tail)]
    marker = (f"… {len(omitted)} lines ({sum(len(x) + 1 for x in omitted):,} characters) omitted here to stay "
              f"within GitHub's comment limit; {where_full} …")
    return "\n".join(head + [marker] + tail), True
