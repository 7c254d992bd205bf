"""Fixtures shared by every test folder. Folder-specific fixtures live in that folder's conftest.py."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from tools.lambda_context import LocalLambdaContext  # noqa: E402 (needs the repo on sys.path)


@pytest.fixture
def lambda_context() -> LocalLambdaContext:
    return LocalLambdaContext(function_name="test-function")


@pytest.fixture
def repo_root() -> Path:
    return REPO_ROOT



@pytest.fixture(scope="session")
def dev_recording():
    from tools.harness.recorder import record_stack

    return record_stack("dev")


@pytest.fixture(scope="session")
def prod_recording():
    from tools.harness.recorder import record_stack

    return record_stack("prod")


@pytest.fixture
def record():
    """Record the program with overridden config keys: `record("dev", {"engagement:...": "..."})`."""
    from tools.harness.recorder import record_stack

    return record_stack
