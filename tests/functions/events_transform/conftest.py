"""Fixtures for the events transform tests."""
from __future__ import annotations

import os

import pytest

# Set before the handler module creates its Tracer/Metrics (module level, on first import).
os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "EngagementEventsDatabaseTest")

from transform_helpers import decode_output, firehose_request  # noqa: E402


@pytest.fixture
def transform(lambda_context):
    """Runs one source event through the real handler and returns (output record, canonical record)."""
    from functions.events_transform.handler import lambda_handler

    def run(event: dict) -> tuple[dict, dict]:
        out = lambda_handler(firehose_request(event), lambda_context)["records"][0]
        assert out["result"] == "Ok", out
        return out, decode_output(out)

    return run
