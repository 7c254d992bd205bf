"""The application stream's transform (APP_EVENTS_ONLY): custom app events only, none the contract reserves for the
project's own producers. Real producers throughout: AWS-published records (tests/fixtures/published_events), the
contract's preference-center builders, the predictive solutions' own summary builders, the sample generator."""
from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import pytest
from transform_helpers import ARRIVAL_MS, PUBLISHED_DIR, decode_output, firehose_request, sns_envelope

from contracts.events import PROJECT_APP_IDS, preference_change_events, preference_event
from functions.events_transform import handler
from functions.events_transform.handler import lambda_handler, transform_records
from tools.sample_events import custom_app_event, generate_events

PUBLISHED = sorted(p.name for p in PUBLISHED_DIR.glob("*.json") if p.name != "sources.json")
WHEN = 1_764_000_000_000  # 2025-11-24


def _records(*events: dict) -> list[dict]:
    return firehose_request(*events)["records"]


def _app_only(*events: dict):
    return transform_records(_records(*events), app_only=True)


def _preference_center_events() -> list[dict]:
    before = {"subscriptions": {"weekly": ["EMAIL", "SMS"]}, "unsubscribed_all": False,
              "addresses": {"EMAIL": "ana@example.com", "SMS": "+12065550100"}}
    after = {**before, "subscriptions": {}, "unsubscribed_all": True}
    events = [preference_event("open", user_id="u-1", center_id="main", when=WHEN),
              preference_event("read", user_id="u-1", center_id="main", when=WHEN)]
    events += preference_change_events(user_id="u-1", center_id="main", when=WHEN, old=None, new=before,
                                       source="optin", version=1)
    events += preference_change_events(user_id="u-1", center_id="main", when=WHEN, old=before, new=after,
                                       source="one_click", version=2)
    return events


def _predictive_run_summaries() -> list[dict]:
    from functions.predictive_engagement_writer.recommendations import Report, summary_event
    from functions.predictive_segmentation_postprocess.handler import Plan, Settings, emit_summary

    engagement = summary_event("20260601T030000Z", "v1", "SUCCEEDED", Report(lines=3, written=3),
                               datetime(2026, 6, 1, tzinfo=UTC))
    config = Settings.model_validate({"BUCKET": "b", "PROFILE_TABLE": "t"})  # no stream: builds, sends nothing
    segmentation = emit_summary(Plan(run_id="20260601T030000Z-score", as_of="2026-06-01"),
                                {"scored": 10, "audience": 2}, config, firehose=None)["event"]
    return [engagement, segmentation]


@pytest.mark.parametrize("name", PUBLISHED)
def test_every_aws_published_record_is_refused_and_kept_as_sent(name):
    # Each is accepted by the main stream (test_ses, test_sms, test_legacy...): an app must not pass for it. (The
    # published SNS envelope carries an unrelated Message; envelopes of real replies are the next test's.)
    event = json.loads((PUBLISHED_DIR / name).read_text())
    (main,), _ = transform_records(_records(event))
    (out,), failures = _app_only(event)
    assert main["result"] == "Ok" or name == "sns_firehose_envelope.json"
    assert out == {"recordId": "rec-0", "result": "ProcessingFailed", "data": _records(event)[0]["data"]}
    assert failures == {"not_an_app_event": 1}


def test_sns_envelopes_of_stop_and_start_replies_are_refused():
    replies = [sns_envelope(json.loads((PUBLISHED_DIR / "two_way_sms.json").read_text()) | {"messageBody": body})
               for body in ("STOP", "START")]
    outputs, failures = _app_only(*replies)
    assert [o["result"] for o in outputs] == ["ProcessingFailed"] * 2 and failures == {"not_an_app_event": 2}
    main, _ = transform_records(_records(*replies))
    assert [decode_output(o)["event_type"] for o in main] == ["text_inbound"] * 2, "what feeds sms_optout"


def test_preference_center_events_from_the_contracts_builders_are_refused():
    events = _preference_center_events()
    assert {e["event_type"].split(".")[1] for e in events} >= {"open", "read", "optin", "unsubscribe"}
    outputs, failures = _app_only(*events)
    assert [o["result"] for o in outputs] == ["ProcessingFailed"] * len(events)
    assert failures == {"reserved_for_project": len(events)}
    main, _ = transform_records(_records(*events))
    assert {decode_output(o)["event_source"] for o in main} == {"preference_center"}, "the main stream takes them"


def test_predictive_run_summaries_from_their_real_builders_are_refused():
    summaries = _predictive_run_summaries()
    assert {s["app_id"] for s in summaries} == set(PROJECT_APP_IDS) - {"preference-center"}
    outputs, failures = _app_only(*summaries)
    assert [o["result"] for o in outputs] == ["ProcessingFailed"] * 2 and failures == {"reserved_for_project": 2}
    main, _ = transform_records(_records(*summaries))
    assert [o["result"] for o in main] == ["Ok", "Ok"]


@pytest.mark.parametrize("forged", [
    # an SES bounce with an event_type added so it looks custom: unknown keys, never stored as SES
    {**json.loads((PUBLISHED_DIR / "ses_bounce.json").read_text()), "event_type": "bounce"},
    # the reserved names in other spellings, or on an app event that otherwise follows the contract
    {"event_type": "preference_center.unsubscribe", "event_timestamp": WHEN, "app_id": "shop-web"},
    {"event_type": "Preference_Center.unsubscribe", "event_timestamp": WHEN},
    {"event_type": "page.view", "event_timestamp": WHEN, "app_id": " Preference-Center "},
    {"event_type": "predictive_engagement.run", "event_timestamp": WHEN, "app_id": "shop-web"},
    {"event_type": "page.view", "event_timestamp": WHEN, "app_id": "predictive-segmentation"},
    # Pinpoint-era shape (event_type starting "_"), an SNS envelope, a bare two-way reply, an event_source claim
    {"event_type": "_email.unsubscribe", "event_timestamp": WHEN, "application": {"app_id": "a"}},
    {"Type": "Notification", "Message": "{}", "event_type": "x", "event_timestamp": WHEN},
    {"event_type": "page.view", "event_timestamp": WHEN, "event_source": "ses"},
    # what SES or End User Messaging report, on their channel: the views select rows by channel and kind
    {"event_type": "click", "channel": "email", "address": "a@example.com", "event_timestamp": WHEN,
     "attributes": {"unsubscribe_link": "true"}},
    {"event_type": "open", "channel": "email", "address": "a@example.com", "event_timestamp": WHEN},
    {"event_type": "send", "channel": "email", "campaign_id": "spring", "event_timestamp": WHEN},
    {"event_type": "subscription", "channel": "email", "address": "a@example.com", "event_timestamp": WHEN},
    {"event_type": "text_opted_out", "channel": "sms", "address": "+12065550100", "event_timestamp": WHEN},
    {"event_type": "text_inbound", "channel": "sms", "address": "+12065550100", "event_timestamp": WHEN},
])
def test_forged_records_are_refused(forged):
    (out,), failures = _app_only(forged)
    assert out["result"] == "ProcessingFailed" and sum(failures.values()) == 1
    assert base64.b64decode(out["data"]) == (json.dumps(forged) + "\n").encode(), "kept as sent, under errors/"


def test_sample_custom_app_events_give_the_rows_the_main_stream_gives():
    events = [e for e in generate_events(days=3, events_per_day=400) if e.get("app_id") == "shop-web"]
    assert len(events) > 40
    app, app_failures = _app_only(*events)
    main, main_failures = transform_records(_records(*events))
    assert not app_failures and not main_failures
    assert app == main  # same result, partition keys and bytes, record for record


def test_a_generated_mix_keeps_exactly_its_app_events(lambda_context, monkeypatch, capsys):
    # Every source mixed as the sample generator emits them, through the real handler with the app stream's setting
    events = generate_events(days=1, events_per_day=600, seed=11)
    monkeypatch.setattr(handler, "SETTINGS", handler.Settings.model_validate({"APP_EVENTS_ONLY": "true"}))
    outputs = lambda_handler(firehose_request(*events), lambda_context)["records"]
    app_ids = [e.get("app_id") for e in events]
    expected = ["Ok" if app_id == "shop-web" else "ProcessingFailed" for app_id in app_ids]
    assert [o["result"] for o in outputs] == expected
    assert 0 < expected.count("Ok") < len(events) and "preference-center" in app_ids
    assert {decode_output(o)["event_source"] for o in outputs if o["result"] == "Ok"} == {"app"}
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    # (counted per reason, as every other failure: the RecordsFailedByReason metric the alarms can split on)
    by_reason = {m["reason"]: m["RecordsFailedByReason"] for m in lines if "RecordsFailedByReason" in m}
    assert sum(v[0] for v in by_reason.values()) == expected.count("ProcessingFailed")
    assert set(by_reason) == {"not_an_app_event", "reserved_for_project"}


def test_the_setting_defaults_off_and_a_sample_event_is_accepted_either_way():
    import random

    assert handler.Settings.model_validate({}).app_events_only is False
    event = custom_app_event(random.Random(1), WHEN)
    (out,), _ = _app_only(event)
    assert out["result"] == "Ok" and decode_output(out)["arrival_timestamp"] == ARRIVAL_MS


@pytest.mark.parametrize("event", [
    {"event_type": "open", "event_timestamp": WHEN, "app_id": "mobile"},  # an app's own "open", channel custom
    {"event_type": "newsletter.viewed", "channel": "email", "address": "a@example.com", "event_timestamp": WHEN},
    {"event_type": "Click", "channel": "email", "event_timestamp": WHEN},  # not the contract's kind: lands in other
])
def test_app_defined_types_and_any_type_on_channel_custom_are_accepted(event):
    (out,), failures = _app_only(event)
    assert out["result"] == "Ok" and not failures
    kind = out["metadata"]["partitionKeys"]["kind"]
    assert kind == ("open" if event.get("channel", "custom") == "custom" and event["event_type"] == "open"
                    else "other")
