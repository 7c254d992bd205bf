"""Recordings of the real program under Pulumi's mock runtime, shared by the component tests."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from tools.harness.project import load_project, stack_config
from tools.harness.recorder import Recording, run_program

REPO_ROOT = Path(__file__).resolve().parents[2]


def record_stack(stack: str, overrides: Mapping[str, str] | None = None, preview: bool = False) -> Recording:
    """Run the program with a stack file's config, optionally overriding keys (values as the CLI passes them)."""
    project = load_project(REPO_ROOT)
    config = {**stack_config(project, stack), **(overrides or {})}
    return run_program(project.directory, project.main, project.name, stack, config, preview=preview)


@pytest.fixture(scope="session")
def dev_recording() -> Recording:
    return record_stack("dev")


@pytest.fixture(scope="session")
def prod_recording() -> Recording:
    return record_stack("prod")


@pytest.fixture
def record() -> Callable[..., Recording]:
    return record_stack
