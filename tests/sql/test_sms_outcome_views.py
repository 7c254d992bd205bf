"""Defect 3 of issue 9 on the records AWS publishes: a FINAL TEXT_SUCCESSFUL is a success, not buffered.

Self-contained (the handler, the local lake and the views only): it runs against the code before the fix too."""
from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from tools.local_lake import open_lake, query_view, transform, write_events
from tools.sample_events import firehose_batches

PUBLISHED = Path(__file__).resolve().parents[1] / "fixtures" / "published_events"
# Final TEXT_SUCCESSFUL (the user guide's example, and a Spanish message of the EventBridge page), and one
# message with both a final TEXT_SUCCESSFUL and a final TEXT_DELIVERED (the EventBridge page, 2024 and today).
RECORDS = ("eum_text_successful.json", "eum_eventbridge_text_successful_es.json",
           "eum_eventbridge_text_successful_protect.json", "eum_eventbridge_text_delivered.json")


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    events = [json.loads((PUBLISHED / name).read_text()) for name in RECORDS]
    with contextlib.redirect_stdout(io.StringIO()):
        ok, failed = transform(firehose_batches(events))
    assert not failed
    path = tmp_path_factory.mktemp("sms-lake")
    write_events(ok, path)
    return open_lake(path)


def message_ids(lake, view: str) -> list[str]:
    columns, rows = query_view(lake, view)
    return sorted(row[columns.index("message_id")] for row in rows)


def test_final_successful_events_are_successes_counted_once_per_message(lake):
    assert message_ids(lake, "sms_success") == ["862a8790-60c0-4430-9b2b-658bdexample",
                                                "9539975a-e71f-45f3-b496-8d98dc098a77",
                                                "ed23196c-75ce-4727-93ee-7bf72b64998f"]


def test_final_events_are_not_buffered(lake):
    assert message_ids(lake, "sms_buffered") == []
