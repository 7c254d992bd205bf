"""Physical names derived from the project and the stack, within the limit an AWS service puts on a name.

A name that fits stays `<project>-<stack>[-<suffix>]` (so nothing already deployed is renamed); a longer one keeps
the start of project-stack and adds 8 hex digits of project/stack, so two long stack names never share one.
"""
from __future__ import annotations

import hashlib


def stack_digest(project: str, stack: str, length: int = 8) -> str:
    """`length` hex digits of project/stack: a short id that no other stack of any project shares."""
    return hashlib.sha256(f"{project}/{stack}".encode()).hexdigest()[:length]


def fitted_name(project: str, stack: str, limit: int, suffix: str = "") -> str:
    """`<project>-<stack>[-<suffix>]` in at most `limit` characters, the suffix always kept whole."""
    tail = f"-{suffix}" if suffix else ""
    name = f"{project}-{stack}{tail}"
    if len(name) <= limit:
        return name
    tail = f"-{stack_digest(project, stack)}{tail}"
    return f"{project}-{stack}"[:limit - len(tail)] + tail
