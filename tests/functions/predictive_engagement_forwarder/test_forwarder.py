"""The real-time forwarder with a Stubber for Personalize Events (moto has none): batching, throttling, DLQ path.

The events are what the bus carries: SES events in EventBridge's envelope (source aws.ses, detail = the SES
event record, https://docs.aws.amazon.com/ses/latest/dg/monitoring-eventbridge.html) built from the same
producer-shaped records as the local lake, and custom app events with source engagement.app.
"""
from __future__ import annotations

import json
from collections import Counter

import boto3
import pytest
from botocore.stub import ANY, Stubber

from components.config import load_stack_config
from functions.predictive_engagement_forwarder import forward, handler, settings
from tools.engagement_sample import catalogue, interactions, source_records

SETTINGS = load_stack_config({}).predictive_engagement
SOURCES = SETTINGS.item_id_sources
VALUES = dict(SETTINGS.weighted_event_types)


def envelope(record: dict, index: int) -> dict:
    ses = "mail" in record
    return {"version": "0", "id": f"evt-{index}", "detail-type": "Email Clicked" if ses else "Engagement Event",
            "source": "aws.ses" if ses else "engagement.app", "account": "123456789012",
            "time": "2026-03-02T10:00:00Z", "region": "us-east-1", "resources": [], "detail": record}


@pytest.fixture(scope="module")
def bus_events():
    cat = catalogue(40, 30, 5, seed=5)
    records = source_records(interactions(cat, 10, seed=5), seed=5, noise=True)
    return [(f"m-{i}", envelope(r, i)) for i, r in enumerate(records)]


@pytest.fixture
def events_client():
    client = boto3.client("personalize-events", region_name="us-east-1", aws_access_key_id="x",
                          aws_secret_access_key="x")
    with Stubber(client) as stub:
        yield client, stub


def expected_calls(bus_events):
    counted = [forward.interaction(m, e, SOURCES, VALUES) for m, e in bus_events]
    return forward.calls([c for c in counted if not isinstance(c, str)])


def test_events_are_grouped_in_calls_of_at_most_ten_per_user_and_session(bus_events, events_client):
    client, stub = events_client
    groups = expected_calls(bus_events)
    for group in groups:
        stub.add_response("put_events", {}, {"trackingId": "t", "userId": group[0].user_id,
                                             "sessionId": group[0].session_id, "eventList": ANY})
    failed, counts = forward.forward(client, "t", bus_events, SOURCES, VALUES, 3, sleep=lambda s: None)
    stub.assert_no_pending_responses()
    assert failed == [] and all(1 <= len(g) <= 10 for g in groups)
    assert counts["forwarded"] == sum(len(g) for g in groups) and counts["put_events_calls"] == len(groups)
    assert counts["not_counted"] > 0 and counts["missing_item_id"] > 0  # opens; views without an item id


def test_real_time_and_batch_agree_on_every_interaction(bus_events, tmp_path):
    """The forwarder (Python, on bus events) and the interactions SQL (on the lake the real transform built
    from the same records) must find the same (user, item, type, value) for every event."""
    from tools.local_lake import open_lake, transform, write_events
    from tools.predictive_engagement_local import unload_rows
    from tools.sample_events import firehose_batches

    ok, failed = transform(firehose_batches([event["detail"] for _, event in bus_events]))
    assert failed == []
    write_events(ok, tmp_path)
    batch = Counter((r["user_id"], r["item_id"], r["event_type"], r["event_value"])
                    for r in unload_rows(open_lake(tmp_path)) if "item_id" in r)
    realtime = Counter((i.user_id, i.item_id, i.event_type, i.event_value)
                       for i in (forward.interaction(m, e, SOURCES, VALUES) for m, e in bus_events)
                       if not isinstance(i, str))
    assert realtime == batch and sum(batch.values()) > 300


def throttle(stub, times: int) -> None:
    for _ in range(times):
        stub.add_client_error("put_events", "ThrottlingException", http_status_code=400)


def test_throttled_calls_are_retried_until_they_succeed(bus_events, events_client):
    client, stub = events_client
    group = expected_calls(bus_events)[0]
    throttle(stub, 3)
    stub.add_response("put_events", {})
    sleeps = []
    failed, counts = forward.forward(client, "t", [(i.message_id, dict(bus_events)[i.message_id]) for i in group],
                                     SOURCES, VALUES, 6, sleep=sleeps.append)
    assert failed == [] and counts["forwarded"] == len(group) and len(sleeps) == 3
    assert sleeps[0] < sleeps[2] <= 5.0  # exponential backoff, capped


def test_persistent_throttling_returns_every_message_of_the_call_for_redelivery(bus_events, events_client):
    client, stub = events_client
    group = expected_calls(bus_events)[0]
    throttle(stub, 4)
    failed, counts = forward.forward(client, "t", [(i.message_id, dict(bus_events)[i.message_id]) for i in group],
                                     SOURCES, VALUES, 4, sleep=lambda s: None)
    assert sorted(failed) == sorted(i.message_id for i in group) and counts["failed"] == len(group)


def test_a_rejected_call_is_not_retried_but_kept_for_the_dead_letter_queue(bus_events, events_client):
    client, stub = events_client
    group = expected_calls(bus_events)[0]
    stub.add_client_error("put_events", "InvalidInputException", http_status_code=400)
    failed, _ = forward.forward(client, "t", [(i.message_id, dict(bus_events)[i.message_id]) for i in group],
                                SOURCES, VALUES, 6, sleep=lambda s: pytest.fail("must not retry"))
    assert len(failed) == len(group)


def test_handler_reports_partial_batch_failures_for_sqs(monkeypatch, bus_events, events_client, lambda_context):
    client, stub = events_client
    for key, value in {"TRACKING_ID": "t", "ITEM_ID_SOURCES": json.dumps(list(SOURCES)),
                       "EVENT_VALUES": json.dumps(VALUES), "PUT_EVENTS_MAX_ATTEMPTS": "2",
                       "POWERTOOLS_TRACE_DISABLED": "true", "POWERTOOLS_METRICS_NAMESPACE": "test"}.items():
        monkeypatch.setenv(key, value)
    settings.reset()
    monkeypatch.setattr(handler, "client", lambda name: client)
    sqs_records = [{"messageId": m, "body": json.dumps(e)} for m, e in bus_events[:30]]
    sqs_records.append({"messageId": "garbage", "body": "not json"})
    groups = expected_calls(bus_events[:30])
    throttle(stub, 2)  # the first call fails both attempts; the others succeed
    for _ in groups[1:]:
        stub.add_response("put_events", {})
    response = handler.lambda_handler({"Records": sqs_records}, lambda_context)
    reported = Counter(f["itemIdentifier"] for f in response["batchItemFailures"])
    assert set(reported) == {i.message_id for i in groups[0]} | {"garbage"}
    settings.reset()


def test_one_poison_event_does_not_sink_the_batch(bus_events, events_client):
    """Malformed values a producer can put on the bus (an app event's epoch far out of range, attributes that
    are not an object, an SES click link Python cannot split): the rest of the batch is forwarded, the poison
    messages are counted and reported back (SQS keeps them for the dead-letter queue), nothing raises."""
    import copy

    client, stub = events_client
    app = next((m, e) for m, e in bus_events if e["source"] == "engagement.app"
               and not isinstance(forward.interaction(m, e, SOURCES, VALUES), str))[1]
    ses = next((m, e) for m, e in bus_events if e["detail"].get("eventType") == "Click"
               and not isinstance(forward.interaction(m, e, SOURCES, VALUES), str))[1]
    poison = []
    for index, (base, change) in enumerate([
            (app, lambda d: d.update(event_timestamp=1e20)), (app, lambda d: d.update(event_timestamp=1e30)),
            (app, lambda d: d.update(attributes=["item_id", "x"])),
            (ses, lambda d: d["click"].update(link="http://[broken/?item_id=i-1")),
            (ses, lambda d: d["mail"].update(tags=["user_id"]))]):
        event = copy.deepcopy(base)
        change(event["detail"])
        poison.append((f"poison-{index}", event))
    good = bus_events[:20]
    for group in expected_calls(good):
        stub.add_response("put_events", {})
    failed, counts = forward.forward(client, "t", good + poison, SOURCES, VALUES, 2, sleep=lambda s: None)
    stub.assert_no_pending_responses()
    assert sorted(failed) == sorted(m for m, _ in poison)
    assert counts["unparseable"] == len(poison) and counts["forwarded"] == sum(map(len, expected_calls(good)))


@pytest.mark.parametrize(("field", "value"), [("attributes", {"item_id": "i" * 257}),
                                              ("attributes", {"item_id": "item\n1"}),
                                              ("user_id", "u" * 257), ("session_id", "s" * 257)])
def test_an_id_personalize_refuses_is_left_out_like_the_batch_export_does_not_sink_its_group(
        bus_events, events_client, field, value):
    """PutEvents refuses a whole call for one bad id, so the user's other events in that call would go to the
    dead-letter queue with it (and fail again on replay): the bad event is counted and acknowledged, as the
    batch export leaves such rows out (contracts.personalize.interaction_row)."""
    import copy

    client, stub = events_client
    message_id, app = next((m, e) for m, e in bus_events if e["source"] == "engagement.app"
                           and not isinstance(forward.interaction(m, e, SOURCES, VALUES), str))
    bad = copy.deepcopy(app)
    bad["id"] = "evt-bad"
    bad["detail"][field] = value
    stub.add_response("put_events", {}, {"trackingId": "t", "userId": app["detail"]["user_id"],
                                         "sessionId": app["detail"]["session_id"], "eventList": ANY})
    failed, counts = forward.forward(client, "t", [(message_id, app), ("m-bad", bad)], SOURCES, VALUES, 2,
                                     sleep=lambda s: None)
    stub.assert_no_pending_responses()
    assert failed == [] and counts["invalid_id"] == 1 and counts["forwarded"] == 1
