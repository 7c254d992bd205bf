"""Routes of the preference API against moto: config, read, update with concurrency, opt-in, errors."""
from __future__ import annotations

import json

import pytest

from contracts.events import validate_custom_event
from tools import preference_seed

from .conftest import table_snapshot

PREFS = "/api/centers/default/preferences"


def valid_body(version: int = 0, **overrides):
    body = {"version": version,
            "addresses": {"EMAIL": "ana@example.com", "SMS": "+34600111222"},
            "attributes": {"first_name": "Ana", "preferred_channel": "email", "activities": ["running"]},
            "subscriptions": {"runners-monthly": ["EMAIL"], "weekly-specials": ["EMAIL", "SMS"]},
            "unsubscribed_all": False, "language": "es"}
    body.update(overrides)
    return body


def consent_records(stack, user_id="u-1"):
    items = stack["dynamodb"].query(
        TableName=stack["names"].consent_table, KeyConditionExpression="subject = :s",
        ExpressionAttributeValues={":s": {"S": f"default#{user_id}"}})["Items"]
    return [{**{k: list(v.values())[0] for k, v in item.items()}} for item in items]


def test_config_is_public_and_filtered_by_language(call, stack):
    # Given the sample center / When the page asks for its config in Spanish
    status, headers, body = call("GET", "/api/centers/default/config", query={"lang": "es"})
    # Then it gets the configuration with only the Spanish texts, and no secret material
    assert status == 200
    assert body["language"] == "es" and list(body["text"]) == ["es"]
    assert [c["id"] for c in body["categories"]] == ["newsletters", "offers"]
    assert "key" not in json.dumps(body).lower().replace("keyboard", "")
    assert headers["x-content-type-options"] == "nosniff"


def test_config_of_unknown_center_is_404_json(call):
    status, _, body = call("GET", "/api/centers/nope/config")
    assert (status, body) == (404, {"error": "not_found"})


def test_config_route_with_invalid_center_id_is_404_not_500(call):
    status, _, body = call("GET", "/api/centers/%3Cscript%3E/config")
    assert status == 404


def test_config_open_event_goes_to_firehose_without_pii(call, stack, sign):
    # Given a page opened with a valid management link
    call("GET", "/api/centers/default/config", token=sign("u-42"))
    # Then one open event in the events-database format names the user but carries no address
    events = preference_seed.read_events(stack["s3"])
    assert [e["event_type"] for e in events] == ["preference_center.open"]
    event = events[0]
    assert event["user_id"] == "u-42" and event["app_id"] == "preference-center"
    assert event["channel"] == "custom" and "address" not in event
    assert event["attributes"] == {"preference_center_id": "default", "language": "en"}
    # built by the events contract, so the transform stores it as a preference-center page event
    assert validate_custom_event(event)["event_source"] == "preference_center"


def test_new_user_reads_empty_preferences_with_version_zero(call, sign, stack):
    status, headers, body = call("GET", PREFS, token=sign("u-new"))
    assert status == 200
    assert body["version"] == 0 and body["subscriptions"] == {} and body["user_id"] == "u-new"
    assert headers["cache-control"] == "no-store"
    assert [e["event_type"] for e in preference_seed.read_events(stack["s3"])] == ["preference_center.read"]


def test_put_then_get_round_trips_and_bumps_version(call, sign):
    token = sign("u-1")
    status, _, saved = call("PUT", PREFS, token=token, body=valid_body())
    assert status == 200 and saved["version"] == 1
    status, _, read = call("GET", PREFS, token=token)
    assert read["subscriptions"] == {"runners-monthly": ["EMAIL"], "weekly-specials": ["EMAIL", "SMS"]}
    assert read["attributes"]["activities"] == ["running"]
    # A manage link proves who the user is, not that they own the addresses: both wait for confirmation.
    assert read["addresses"] == {}
    assert read["pending"] == {"EMAIL": "ana@example.com", "SMS": "+34600111222"}


def test_every_change_appends_a_consent_record_with_old_and_new(call, sign, stack):
    token = sign("u-1")
    call("PUT", PREFS, token=token, body=valid_body())
    call("PUT", PREFS, token=token, body=valid_body(1, subscriptions={"runners-monthly": ["EMAIL"]}))
    records = sorted(consent_records(stack), key=lambda r: r["recorded_at"])
    assert len(records) == 2
    change = json.loads(records[1]["changes"])
    assert change == [{"field": "subscriptions.weekly-specials", "old": ["EMAIL", "SMS"], "new": None}]
    assert records[1]["source"] == "preference_page" and records[1]["version"] == "2"
    # The IP is kept only as a hash.
    assert records[1]["ip_hash"] and "198.51.100.7" not in json.dumps(records)


def test_unchanged_put_writes_no_consent_record(call, sign, stack):
    token = sign("u-1")
    call("PUT", PREFS, token=token, body=valid_body())
    status, _, body = call("PUT", PREFS, token=token, body=valid_body(1))
    assert status == 200 and body["version"] == 1
    assert len(consent_records(stack)) == 1


def test_two_writers_with_same_version_one_wins_one_gets_409(call, sign, stack):
    # Given two tabs that both loaded version 1
    token = sign("u-1")
    call("PUT", PREFS, token=token, body=valid_body())
    first = valid_body(1, subscriptions={"new-arrivals": ["EMAIL"]})
    second = valid_body(1, subscriptions={"shoe-collector": ["SMS"]})
    # When both save
    s1, _, b1 = call("PUT", PREFS, token=token, body=first)
    s2, _, b2 = call("PUT", PREFS, token=token, body=second)
    # Then the first is kept and the second is told the current version instead of overwriting
    assert (s1, s2) == (200, 409)
    assert b2 == {"error": "version_conflict", "current_version": 2}
    _, _, read = call("GET", PREFS, token=token)
    assert read["subscriptions"] == {"new-arrivals": ["EMAIL"]}
    assert len(consent_records(stack)) == 2


def test_version_zero_on_existing_record_is_conflict(call, sign):
    token = sign("u-1")
    call("PUT", PREFS, token=token, body=valid_body())
    status, _, body = call("PUT", PREFS, token=token, body=valid_body(0, attributes={"first_name": "X"}))
    assert (status, body["current_version"]) == (409, 1)


def test_unsubscribe_all_clears_subscriptions(call, sign):
    token = sign("u-1")
    call("PUT", PREFS, token=token, body=valid_body())
    status, _, body = call("PUT", PREFS, token=token, body=valid_body(1, unsubscribed_all=True))
    assert status == 200
    assert body["unsubscribed_all"] is True and body["subscriptions"] == {}


@pytest.mark.parametrize(("change", "field", "code"), [
    ({"subscriptions": {"no-such-pub": ["EMAIL"]}}, "subscriptions.no-such-pub", "unknown"),
    ({"subscriptions": {"runners-monthly": ["SMS"]}}, "subscriptions.runners-monthly", "unknown"),
    ({"attributes": {"first_name": "Ana", "shoe": "42"}}, "attributes.shoe", "unknown"),
    ({"attributes": {"first_name": "Ana", "shoe_size": "s99"}}, "attributes.shoe_size", "option"),
    ({"attributes": {}}, "attributes.first_name", "required"),
    ({"addresses": {"EMAIL": "not-an-email"}}, "addresses.EMAIL", "email"),
    ({"addresses": {"EMAIL": "a@example.com", "SMS": "0600111222"}}, "addresses.SMS", "phone"),
    ({"addresses": {"EMAIL": "a@example.com", "FAX": "1"}}, "addresses.FAX", "unknown"),
    ({"addresses": {"EMAIL": "a@example.com"}}, "subscriptions.weekly-specials", "required"),
    ({"language": "fr"}, "language", "option"),
    ({"surprise": 1}, "surprise", "unknown"),
    ({"version": "1"}, "version", "invalid"),
])
def test_invalid_put_is_400_naming_the_field_and_stores_nothing(call, sign, stack, change, field, code):
    before = table_snapshot(stack["dynamodb"], stack["names"].preferences_table)
    status, _, body = call("PUT", PREFS, token=sign("u-1"), body=valid_body(**change))
    assert status == 400 and body["error"] == "validation_failed"
    assert body["fields"][field]["code"] == code
    assert table_snapshot(stack["dynamodb"], stack["names"].preferences_table) == before
    assert consent_records(stack) == []


def test_markup_is_stored_as_plain_text_and_returned_as_json(call, sign):
    # The first_name pattern of the sample forbids <>, so use a free-form value the sample allows.
    token = sign("u-1")
    status, _, body = call("PUT", PREFS, token=token,
                           body=valid_body(attributes={"first_name": "Ana \"&' O'Neil"}))
    assert status == 200 and body["attributes"]["first_name"] == "Ana \"&' O'Neil"
    status, _, body = call("PUT", PREFS, token=token,
                           body=valid_body(1, attributes={"first_name": "<img src=x onerror=alert(1)>"}))
    assert status == 400 and body["fields"]["attributes.first_name"]["code"] == "pattern"


@pytest.mark.parametrize("raw", ["{not json", "[]", "null", "\"text\""])
def test_malformed_json_body_is_400(call, sign, raw):
    status, _, body = call("PUT", PREFS, token=sign("u-1"), body=raw)
    assert status == 400 and body["error"] == "validation_failed"


def test_oversized_body_is_413(call, sign):
    status, _, _ = call("PUT", PREFS, token=sign("u-1"), body="x" * 20000)
    assert status == 413


def test_optin_without_any_address_is_400(call):
    status, _, body = call("POST", "/api/centers/default/optin", body={"addresses": {}, "attributes": {}})
    assert status == 400 and "addresses.EMAIL" in body["fields"]


def test_method_not_allowed_is_405_with_allow_header(call):
    status, headers, body = call("DELETE", PREFS)
    assert status == 405 and headers["allow"] == "GET, PUT"


def test_unknown_path_is_404(call):
    status, _, body = call("GET", "/api/nothing/here")
    assert (status, body) == (404, {"error": "not_found"})


def test_unexpected_error_is_500_json_without_internals(call, sign, stack, monkeypatch):
    from functions.preference_api import service

    def boom(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(service.store, "get_preferences", boom)
    status, _, body = call("GET", PREFS, token=sign("u-1"))
    assert status == 500 and body == {"error": "internal_error", "request_id": "req-0001"}


def test_lone_surrogate_in_json_is_400_not_500(call, sign):
    # "\ud800" is valid JSON but not encodable text; DynamoDB would fail on it deep inside the write.
    status, _, body = call("PUT", PREFS, token=sign("u-1"),
                           body=json.dumps(valid_body(attributes={"first_name": "\ud800"})))
    assert status == 400
