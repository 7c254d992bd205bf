"""What the preference center puts on the events stream, produced by the REAL API and sync: one event per affected
channel, with that channel's address, in the events contract (issue 9, defect 1: the sync emitted channel custom
without an address, so no view could count an unsubscribe)."""
from __future__ import annotations

import pytest

from contracts.events import validate_custom_event

ANA = {"EMAIL": "ana@example.com", "SMS": "+34600111222"}


def changes(stack) -> list[tuple]:
    """The channel events put on the stream since the last call: (action, channel, address, publications,
    source, unsubscribe_all), each checked against the contract as the transform checks it."""
    found = []
    for event in stack.new_events():
        assert validate_custom_event(event)["event_source"] == "preference_center"
        if event["channel"] == "custom":
            assert event["event_type"] in ("preference_center.open", "preference_center.read")
            assert "address" not in event
            continue
        attributes = event["attributes"]
        found.append((event["event_type"].removeprefix("preference_center."), event["channel"], event["address"],
                      attributes["publications"], attributes["source"], attributes["unsubscribe_all"]))
    return found


def test_the_life_of_a_subscriber_as_the_events_database_sees_it(stack):
    # An opt-in request: pending addresses, one request per channel (nothing is subscribed yet)
    user = stack.optin(ANA, {"runners-monthly": ["EMAIL"], "weekly-specials": ["EMAIL", "SMS"]})
    assert stack.sync() == {"batchItemFailures": []}
    assert changes(stack) == [
        ("optin_request", "email", "ana@example.com", "runners-monthly,weekly-specials", "optin", "false"),
        ("optin_request", "sms", "+34600111222", "weekly-specials", "optin", "false")]
    # Each owner confirms: the confirmed opt-in, per channel
    stack.confirm_everything()
    stack.sync()
    assert changes(stack) == [
        ("optin", "email", "ana@example.com", "runners-monthly,weekly-specials", "confirmation", "false"),
        ("optin", "sms", "+34600111222", "weekly-specials", "confirmation", "false")]
    # The page: SMS off for weekly-specials, then one more e-mail publication
    stack.save(user, subscriptions={"runners-monthly": ["EMAIL"], "weekly-specials": ["EMAIL"]})
    stack.sync()
    assert changes(stack) == [("unsubscribe", "sms", "+34600111222", "weekly-specials", "page", "false")]
    stack.save(user, subscriptions={"runners-monthly": ["EMAIL"], "weekly-specials": ["EMAIL"],
                                    "new-arrivals": ["EMAIL"]})
    stack.sync()
    assert changes(stack) == [("subscribe", "email", "ana@example.com", "new-arrivals", "page", "false")]
    # A new e-mail address: requested, then confirmed, and the publications move to it
    stack.save(user, addresses={**ANA, "EMAIL": "ana.new@example.com"})
    stack.sync()
    assert changes(stack) == [
        ("optin_request", "email", "ana.new@example.com", "new-arrivals,runners-monthly,weekly-specials", "page",
         "false"),
        ("update", "email", "ana.new@example.com", "new-arrivals,runners-monthly,weekly-specials",
         "confirmation", "false")]
    # A mail client's one-click unsubscribe from everything: the e-mail publications end at the new address
    stack.one_click(user)
    stack.sync()
    assert changes(stack) == [("unsubscribe", "email", "ana.new@example.com",
                               "new-arrivals,runners-monthly,weekly-specials", "one_click", "true")]


def test_a_one_click_reports_the_campaign_its_link_named_and_the_next_change_does_not(stack):
    user = stack.optin({"EMAIL": "ana@example.com"}, {"runners-monthly": ["EMAIL"], "new-arrivals": ["EMAIL"]})
    stack.confirm_everything()
    stack.sync()
    stack.new_events()
    stack.one_click(user, "new-arrivals", campaign="spring-sale")
    stack.sync()
    [event] = [e for e in stack.new_events() if e["channel"] == "email"]
    assert (event["event_type"], event["campaign_id"]) == ("preference_center.unsubscribe", "spring-sale")
    stack.save(user, subscriptions={})
    stack.sync()
    [event] = [e for e in stack.new_events() if e["channel"] == "email"]
    assert event["attributes"]["source"] == "page" and "campaign_id" not in event


def test_re_subscribing_after_an_opt_out_is_requested_then_confirmed(stack):
    user = stack.optin({"EMAIL": "ana@example.com"}, {"runners-monthly": ["EMAIL"]})
    stack.confirm_everything()
    stack.save(user, subscriptions={}, unsubscribed_all=True)
    stack.sync()
    changes(stack)
    # Turning unsubscribe-all off asks the address to confirm again: pending until then, not yet subscribed
    stack.api("PUT", "/preferences", token=stack.manage_token(user), body={
        "version": stack.api("GET", "/preferences", token=stack.manage_token(user))[1]["version"],
        "addresses": {"EMAIL": "ana@example.com"}, "attributes": {"first_name": "Ana"},
        "subscriptions": {"runners-monthly": ["EMAIL"]}, "unsubscribed_all": False})
    stack.sync()
    assert changes(stack) == [("optin_request", "email", "ana@example.com", "runners-monthly", "page", "false")]
    stack.confirm_everything()
    stack.sync()
    assert changes(stack) == [("optin", "email", "ana@example.com", "runners-monthly", "confirmation", "false")]


def test_the_record_that_loses_an_address_to_its_new_owner_reports_a_detach(stack):
    stack.optin({"EMAIL": "shared@example.com"}, {"runners-monthly": ["EMAIL"]})
    stack.confirm_everything()
    stack.sync()
    changes(stack)
    stack.optin({"EMAIL": "shared@example.com"}, {"new-arrivals": ["EMAIL"]})
    stack.confirm_everything()
    stack.sync()
    assert sorted(changes(stack)) == [
        ("detach", "email", "shared@example.com", "runners-monthly", "detached", "false"),
        ("optin", "email", "shared@example.com", "new-arrivals", "confirmation", "false"),
        ("optin_request", "email", "shared@example.com", "new-arrivals", "optin", "false")]


def test_a_replayed_batch_emits_the_same_events_again_for_the_transform_to_dedupe(stack):
    stack.optin({"EMAIL": "ana@example.com"}, {"runners-monthly": ["EMAIL"]})
    event = stack.stream.event()
    from functions.preference_sync.handler import lambda_handler

    lambda_handler(event, stack.context)
    first = stack.new_events()
    lambda_handler(event, stack.context)
    assert stack.new_events() == first


@pytest.mark.parametrize("action", ["open", "read"])
def test_page_events_name_the_user_and_no_channel(stack, action):
    user = stack.optin({"EMAIL": "ana@example.com"}, {"runners-monthly": ["EMAIL"]})
    stack.new_events()
    path = "/config" if action == "open" else "/preferences"
    stack.api("GET", path, token=stack.manage_token(user))
    [event] = stack.new_events()
    assert (event["event_type"], event["channel"], event["user_id"]) == (f"preference_center.{action}", "custom",
                                                                        user)
