"""The Firehose contract: one output per input, same recordId and order, failures keep their data."""
from __future__ import annotations

import base64
import json
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contracts.events import COLUMN_NAMES, MAX_MS, MIN_MS, ms_to_iso
from functions.events_transform import normalize
from functions.events_transform.handler import lambda_handler, transform_records

from transform_helpers import ARRIVAL_MS, decode_output, firehose_request, load_event

BAD_PAYLOADS = {
    "bad base64": "%%%not-base64%%%",
    "not JSON": base64.b64encode(b"this is not json").decode(),
    "JSON array": base64.b64encode(b'[{"eventType": "Send"}]').decode(),
    "missing eventType": base64.b64encode(json.dumps({"mail": {"messageId": "m"}}).encode()).decode(),
    "custom without event_type": base64.b64encode(json.dumps({"event_timestamp": 1767225600000}).encode()).decode(),
    "custom with unknown key": base64.b64encode(json.dumps(
        {"event_type": "x", "event_timestamp": 1767225600000, "colour": "red"}).encode()).decode(),
    "SES with unknown type": base64.b64encode(json.dumps(
        {"eventType": "Teleport", "mail": {"messageId": "m", "timestamp": "2026-01-01T00:00:00Z"}}).encode()).decode(),
    "not UTF-8": base64.b64encode(b'{"event_type": "\xff"}').decode(),
}


def test_every_bad_record_is_processing_failed_with_its_original_data(lambda_context):
    # Given one request holding each kind of unreadable record
    request = firehose_request(*BAD_PAYLOADS.values())

    # When the handler transforms it
    outputs = lambda_handler(request, lambda_context)["records"]

    # Then each comes back ProcessingFailed, never Dropped, with the exact bytes Firehose sent
    assert [o["result"] for o in outputs] == ["ProcessingFailed"] * len(BAD_PAYLOADS)
    assert [o["data"] for o in outputs] == list(BAD_PAYLOADS.values())
    assert [o["recordId"] for o in outputs] == [r["recordId"] for r in request["records"]]


def test_mixed_batch_keeps_order_and_record_ids(lambda_context):
    # Given good and bad records interleaved
    good_ses, good_sms = load_event("ses_send.json"), load_event("eum_text_successful.json")
    request = firehose_request(good_ses, BAD_PAYLOADS["not JSON"], good_sms, BAD_PAYLOADS["bad base64"])

    # When transformed
    outputs = lambda_handler(request, lambda_context)["records"]

    # Then results line up one-to-one with the inputs
    assert [o["recordId"] for o in outputs] == ["rec-0", "rec-1", "rec-2", "rec-3"]
    assert [o["result"] for o in outputs] == ["Ok", "ProcessingFailed", "Ok", "ProcessingFailed"]
    assert decode_output(outputs[0])["event_source"] == "ses"
    assert decode_output(outputs[2])["event_source"] == "sms_voice"


def test_failure_emits_a_metric_per_reason(lambda_context, capsys, caplog):
    # Given two records that fail for different reasons
    request = firehose_request(BAD_PAYLOADS["not JSON"], BAD_PAYLOADS["bad base64"], BAD_PAYLOADS["not JSON"])

    # When transformed
    lambda_handler(request, lambda_context)

    # Then an EMF metric per reason carries the count, and a structured log line names the record
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    by_reason = {m["reason"]: m["RecordsFailedByReason"] for m in lines if "RecordsFailedByReason" in m}
    assert by_reason == {"not_json": [2.0], "not_base64": [1.0]}
    assert {(r.record_id, r.reason) for r in caplog.records if r.getMessage() == "record failed"} == {
        ("rec-0", "not_json"), ("rec-1", "not_base64"), ("rec-2", "not_json")}


def test_output_has_exactly_the_schema_columns_and_partition_metadata(transform):
    # Given an SES bounce
    # When transformed
    out, canonical = transform(load_event("ses_bounce.json"))

    # Then the JSON line has every data column of the Glue table, nothing else, and partitions in metadata
    assert tuple(canonical) == COLUMN_NAMES
    assert out["metadata"] == {"partitionKeys": {"channel": "email", "kind": "bounce", "dt": "2017-08-05"}}


def test_partitions_follow_event_time_not_arrival_time(lambda_context):
    # Given an event from 2026-03-01 23:59:59.500 that arrives a day later
    event = load_event("custom_checkout.json")
    request = firehose_request(event, arrival_ms=1_772_496_000_000)  # 2026-03-03T00:00Z

    # When transformed
    out = lambda_handler(request, lambda_context)["records"][0]

    # Then it lands in the event's day, and the arrival time is still recorded
    assert out["metadata"]["partitionKeys"] == {"channel": "custom", "kind": "other", "dt": "2026-03-01"}
    assert decode_output(out)["arrival_timestamp"] == 1_772_496_000_000


def test_event_id_is_the_same_for_a_replayed_record(lambda_context):
    # Given the same SES click delivered twice (a Firehose retry), at different arrival times
    click = load_event("ses_click.json")
    first = lambda_handler(firehose_request(click, arrival_ms=1), lambda_context)["records"][0]
    second = lambda_handler(firehose_request(click, arrival_ms=2), lambda_context)["records"][0]

    # Then both get one event_id, and a different event of the same message gets another
    open_ = lambda_handler(firehose_request(load_event("ses_open.json")), lambda_context)["records"][0]
    assert decode_output(first)["event_id"] == decode_output(second)["event_id"]
    assert decode_output(first)["event_id"] != decode_output(open_)["event_id"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.binary(max_size=300), st.text(max_size=100)), min_size=1, max_size=8))
def test_arbitrary_input_never_raises_and_yields_one_output_per_record(lambda_context, payloads):
    # Given arbitrary bytes (base64-encoded) and arbitrary strings (taken as the raw data field)
    request = firehose_request(*payloads)

    # When transformed
    outputs = lambda_handler(request, lambda_context)["records"]

    # Then nothing raises, one output per input, and every failure keeps the original data
    assert [o["recordId"] for o in outputs] == [r["recordId"] for r in request["records"]]
    for out, rec in zip(outputs, request["records"]):
        assert out["result"] in ("Ok", "ProcessingFailed")
        if out["result"] == "ProcessingFailed":
            assert out["data"] == rec["data"]
        else:
            assert tuple(decode_output(out)) == COLUMN_NAMES


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(min_value=MIN_MS, max_value=MAX_MS - 1))
def test_every_millisecond_survives_the_iso_round_trip(lambda_context, ms):
    # Defect 4: iso_to_ms went through a float and lost a millisecond for some values (e.g. ...02.669Z).
    # Given an SES Send whose mail.timestamp is `ms` in SES's ISO spelling, anywhere in the supported range
    event = load_event("ses_send.json")
    event["mail"]["timestamp"] = ms_to_iso(ms)

    # When transformed
    out = lambda_handler(firehose_request(event), lambda_context)["records"][0]

    # Then the event time is exactly that millisecond
    assert decode_output(out)["event_timestamp"] == ms


def test_the_documented_value_that_lost_a_millisecond(transform):
    _, rec = transform(load_event("ses_bounce.json"))  # bounce.timestamp 2017-08-05T00:41:02.669Z
    assert rec["event_timestamp"] == 1501893662669


def test_raw_event_is_kept_only_when_asked(lambda_context):
    # Given one published SES record
    record = firehose_request(load_event("ses_open.json"))["records"][0]

    # When transformed without and with keep_raw (KEEP_RAW_EVENT in the Lambda's environment)
    plain, _ = transform_records([record])
    kept, _ = transform_records([record], keep_raw=True)

    # Then raw_event is NULL by default, and the verbatim record when asked
    assert decode_output(plain[0])["raw_event"] is None
    assert json.loads(decode_output(kept[0])["raw_event"]) == load_event("ses_open.json")


def test_partition_metadata_is_each_records_own_across_midnights_and_past_the_cache_bound(monkeypatch):
    # The transform shares one metadata dict per (channel, type, day) and empties that cache at its bound: records
    # a millisecond either side of midnight, on three channels, over more partitions than the (shrunk) cache holds,
    # each still carry the keys of their own event time; and transform_data hands out a copy callers may change.
    monkeypatch.setattr(normalize, "_METADATA_LIMIT", 2)
    midnight = 1_772_323_200_000  # 2026-03-01T00:00:00Z
    events = [dict(load_event("custom_checkout.json"), channel=channel, event_timestamp=midnight + offset)
              for offset in (-1, 0, 86_399_999, 86_400_000, -1, 0) for channel in ("custom", "email", "sms")]
    outputs, failures = transform_records(firehose_request(*events)["records"])
    assert not failures
    for event, out in zip(events, outputs, strict=True):
        day = date(1970, 1, 1) + timedelta(days=event["event_timestamp"] // 86_400_000)
        assert out["metadata"] == {"partitionKeys": {"channel": event["channel"], "kind": "other",
                                                     "dt": day.isoformat()}}
    data = firehose_request(events[0])["records"][0]["data"]
    keys, _ = normalize.transform_data(data, ARRIVAL_MS)
    keys["dt"] = "changed"
    assert normalize.transform_data(data, ARRIVAL_MS)[0]["dt"] == "2026-02-28"
