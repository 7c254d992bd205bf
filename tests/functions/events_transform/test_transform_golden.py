"""The transform's output is pinned byte for byte: the speed-ups of issue 9 changed no output.

tests/fixtures/transform_golden/golden.jsonl.xz holds 6,235 Firehose records (the benchmark's generated mix, every
AWS-published and hand-written example, each example with one field at a time made odd or removed, malformed
payloads) and what the transform of commit 774fee3, before the speed-ups, returned for each: result, failure reason,
partition keys and sha256 of the output, with KEEP_RAW_EVENT off and on. golden_transform.py says how it is built.
"""
from __future__ import annotations

from collections import Counter

import pytest
from golden_transform import ARRIVAL_MS, output_digest, read_golden

from contracts.events import InvalidEvent
from functions.events_transform.handler import transform_records
from functions.events_transform.normalize import transform_data

HEADER, ROWS = read_golden()


def _outcome(data: str, keep_raw: bool) -> list:
    try:
        keys, out = transform_data(data, ARRIVAL_MS, keep_raw)
    except InvalidEvent as exc:
        return ["ProcessingFailed", exc.reason]
    except Exception:  # noqa: BLE001 - the handler turns these into internal_error
        return ["ProcessingFailed", "internal_error"]
    return ["Ok", keys, output_digest(out)]


def test_golden_covers_every_outcome():
    # What the file exercises: every source's Ok path and every failure reason the transform can give
    reasons = Counter(expected[0] if expected[0] == "Ok" else expected[1] for _, expected, _ in ROWS)
    assert set(reasons) >= {"Ok", "not_base64", "not_utf8", "not_json", "not_an_object", "unknown_shape",
                            "unknown_event_type", "missing_field", "invalid_value", "schema_violation"}
    kinds = {expected[1]["channel"] + "/" + expected[1]["kind"] for _, expected, _ in ROWS if expected[0] == "Ok"}
    assert {"email/send", "email/delivery", "email/open", "email/click", "email/bounce", "email/complaint",
            "sms/text_successful", "sms/text_delivered", "sms/text_inbound", "custom/other"} <= kinds
    assert len(ROWS) > 6000 and HEADER["commit"].startswith("774fee3")


@pytest.mark.parametrize("keep_raw", [False, True], ids=["default", "keep_raw_event"])
def test_every_record_transforms_exactly_as_before(keep_raw):
    differing = [(index, expected, actual) for index, (data, *expected_pair) in enumerate(ROWS)
                 if (actual := _outcome(data, keep_raw)) != (expected := expected_pair[keep_raw])]
    assert not differing, f"{len(differing)} of {len(ROWS)} records differ, first: {differing[:3]}"


def test_handler_batches_keep_failed_bytes_and_count_reasons():
    # Through the handler's loop, 500 records a batch as Firehose sends them: Ok outputs as pinned, every failed
    # record returned with its original data, the failure counts per reason (the metric dimensions) unchanged.
    failed = 0
    for start in range(0, len(ROWS), 500):
        batch = ROWS[start:start + 500]
        records = [{"recordId": str(start + i), "approximateArrivalTimestamp": ARRIVAL_MS, "data": data}
                   for i, (data, _, _) in enumerate(batch)]
        outputs, failures = transform_records(records)
        failed += sum(failures.values())
        assert [o["recordId"] for o in outputs] == [r["recordId"] for r in records]
        for out, (data, expected, _) in zip(outputs, batch, strict=True):
            assert out["result"] == expected[0]
            if expected[0] == "Ok":
                assert (out["metadata"]["partitionKeys"], output_digest(out["data"])) == (expected[1], expected[2])
            else:
                assert out["data"] == data
        assert failures == Counter(expected[1] for _, expected, _ in batch if expected[0] != "Ok")
    assert failed > 900
