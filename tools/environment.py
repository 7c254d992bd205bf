"""Process environment variables set for one block, and exactly what was there (set or unset) put back after it,
so one local run, test or policy analysis never leaks its settings into the next."""
from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager


@contextmanager
def environment_variables(values: Mapping[str, str | None]) -> Iterator[None]:
    """Set each variable for the block; `None` unsets it for the block."""
    saved = {name: os.environ.get(name) for name in values}
    try:
        for name, value in values.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
