"""The producer side of the events contract: times, ids, the custom-event format and preference-center events."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contracts.events import (MAX_MS, MIN_MS, InvalidEvent, custom_event, event_id_of_key, iso_to_ms,
                              make_event_id, ms_to_iso, preference_change_events, preference_event,
                              validate_custom_event)

_JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
                            lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
                            max_leaves=8)


@settings(max_examples=2000, deadline=None)
@given(st.integers(min_value=MIN_MS, max_value=MAX_MS - 1))
def test_iso_round_trip_is_exact_over_the_whole_supported_range(ms):
    # Defect 4: no float on the way, so no millisecond is lost
    assert iso_to_ms(ms_to_iso(ms), "t") == ms


@settings(max_examples=1000, deadline=None)
@given(st.text(min_size=1), _JSON_VALUES.filter(bool), st.text(), st.integers(), _JSON_VALUES)
def test_event_id_of_an_f_string_key_is_make_event_id(source, message_id, event_type, when, discriminator):
    # The transform spells SES and SMS keys as f-strings ({x} is str(x) for every JSON value, None written ''):
    # any value a record can hold gets the id make_event_id gives it, so replays keep their ids. (Both refuse an
    # empty message id before building the key.)
    key = f"{source}\x1f{message_id}\x1f{event_type}\x1f{when}\x1f{'' if discriminator is None else discriminator}"
    assert event_id_of_key(key) == make_event_id(source, message_id, event_type, when, discriminator)


@settings(max_examples=500, deadline=None)
@given(st.datetimes(min_value=datetime(2015, 1, 1), max_value=datetime(2099, 12, 31, 23, 59, 59, 999999),
                    timezones=st.just(timezone.utc)))
def test_microseconds_are_truncated_to_the_millisecond(moment):
    expected = (moment - datetime(1970, 1, 1, tzinfo=timezone.utc)) // __import__("datetime").timedelta(milliseconds=1)
    assert iso_to_ms(moment.isoformat(), "t") == expected


@pytest.mark.parametrize(("text", "ms"), [("2017-08-05T00:41:02.669Z", 1501893662669),
                                          ("2026-01-01T00:00:00", 1767225600000),
                                          ("2026-01-01T01:00:00+01:00", 1767225600000)])
def test_iso_spellings(text, ms):
    assert iso_to_ms(text, "t") == ms


@pytest.mark.parametrize("value", ["", "yesterday", "2014-12-31T23:59:59.999Z", "2100-01-01T00:00:00Z", 17])
def test_times_outside_the_contract_are_refused(value):
    with pytest.raises(InvalidEvent):
        iso_to_ms(value, "t")


def test_custom_event_builder_fills_defaults_and_refuses_what_the_transform_would():
    event = custom_event("checkout.completed", 1767225600000, app_id="shop", metrics={"n": 1})
    assert validate_custom_event(event)["channel"] == "custom"
    with pytest.raises(InvalidEvent, match="unknown keys"):
        custom_event("checkout.completed", 1767225600000, colour="red")


def test_page_events_take_no_channel_and_channel_events_need_one():
    assert preference_event("read", user_id="u", center_id="c", when=1767225600000)["channel"] == "custom"
    with pytest.raises(ValueError, match="concerns no channel"):
        preference_event("open", user_id="u", center_id="c", when=1767225600000, channel="email", address="a@b.c")
    with pytest.raises(ValueError, match="one event per channel"):
        preference_event("unsubscribe", user_id="u", center_id="c", when=1767225600000)
    with pytest.raises(InvalidEvent, match="address"):
        preference_event("unsubscribe", user_id="u", center_id="c", when=1767225600000, channel="EMAIL")


ADDRESSES = {"EMAIL": "a@example.com", "SMS": "+15550100"}
BEFORE = {"subscriptions": {"weekly": ["EMAIL", "SMS"], "offers": ["EMAIL"]}, "addresses": ADDRESSES,
          "unsubscribed_all": False}


def _summary(events):
    return sorted((e["event_type"].split(".")[1], e["channel"], e["address"], e["attributes"]["publications"],
                   e["attributes"]["unsubscribe_all"]) for e in events)


@pytest.mark.parametrize(("old", "new", "expected"), [
    (None, BEFORE, [("optin", "email", "a@example.com", "offers,weekly", "false"),
                    ("optin", "sms", "+15550100", "weekly", "false")]),
    (BEFORE, {**BEFORE, "subscriptions": {"weekly": ["EMAIL"]}},
     [("unsubscribe", "email", "a@example.com", "offers", "false"),
      ("unsubscribe", "sms", "+15550100", "weekly", "false")]),
    (BEFORE, {**BEFORE, "subscriptions": {}, "unsubscribed_all": True},
     [("unsubscribe", "email", "a@example.com", "offers,weekly", "true"),
      ("unsubscribe", "sms", "+15550100", "weekly", "true")]),
    (BEFORE, {**BEFORE, "subscriptions": {**BEFORE["subscriptions"], "alerts": ["SMS"]}},
     [("subscribe", "sms", "+15550100", "alerts", "false")]),
    (BEFORE, {**BEFORE, "addresses": {**ADDRESSES, "EMAIL": "new@example.com"}},
     [("update", "email", "new@example.com", "offers,weekly", "false")]),
    (BEFORE, BEFORE, []),
])
def test_one_event_per_affected_channel(old, new, expected):
    events = preference_change_events(user_id="u-1", center_id="main", when=1767225600000, old=old, new=new,
                                      source="page", version=3)
    assert _summary(events) == expected
    assert all(validate_custom_event(e)["event_source"] == "preference_center" for e in events)


def test_unsubscribe_uses_the_address_the_user_had():
    # Leaving SMS while changing the number: the opt-out concerns the number messages went to
    new = {"subscriptions": {"weekly": ["EMAIL"], "offers": ["EMAIL"]},
           "addresses": {**ADDRESSES, "SMS": "+15550199"}, "unsubscribed_all": False}
    [event] = preference_change_events(user_id="u", center_id="main", when=1767225600000, old=BEFORE, new=new,
                                       source="page")
    assert (event["channel"], event["address"]) == ("sms", "+15550100")
