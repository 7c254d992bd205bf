"""Fixtures of the training tests (rows from churn_rows.py)."""
from __future__ import annotations

import pytest
from churn_rows import SPEC, make_rows


@pytest.fixture(scope="session")
def spec() -> FeatureSpec:
    return SPEC


@pytest.fixture(scope="session")
def rows() -> list[dict]:
    return make_rows(1500)
