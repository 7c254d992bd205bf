"""When the owner last chose (contracts/preference_choices.py): times as the store writes them and as AWS sends
them compare as instants; anything that is not a time never counts as a newer choice."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from contracts.preference_choices import after, chosen_after, confirmed_after, moment

RECORD = {"opted_in_at": {"news#EMAIL": "2026-03-01T10:00:00.000Z", "all": "2026-03-01T09:00:00.000Z"},
          "confirmed_at": {"EMAIL": "2026-02-01T00:00:00.000Z", "SMS": "2026-04-01T00:00:00.000Z"}}


@pytest.mark.parametrize("value,expected", [
    ("2026-03-01T10:00:00.000Z", datetime(2026, 3, 1, 10, tzinfo=UTC)),
    ("2026-03-01T11:00:00+01:00", datetime(2026, 3, 1, 10, tzinfo=UTC)),
    ("2026-03-01T10:00:00", datetime(2026, 3, 1, 10, tzinfo=UTC)),  # naive = UTC
    (datetime(2026, 3, 1, 10), datetime(2026, 3, 1, 10, tzinfo=UTC)),  # boto3's LastUpdatedTimestamp
    ("2026-13-45T99:99:99Z", None), ("", None), (None, None), ("\x00", None)])
def test_moment_reads_stored_and_aws_times_and_nothing_else(value, expected):
    assert moment(value) == expected


def test_a_choice_counts_only_when_strictly_later_and_both_are_times():
    assert after("2026-03-01T10:00:00.001Z", "2026-03-01T10:00:00Z")
    assert not after("2026-03-01T10:00:00Z", "2026-03-01T10:00:00Z")
    assert not after("not a time", "2026-03-01T10:00:00Z") and not after("2026-03-01T10:00:00Z", None)


def test_chosen_after_reads_the_topics_own_opt_in_or_a_newer_email_confirmation():
    assert chosen_after(RECORD, "news#EMAIL", "2026-03-01T09:59:59Z")
    assert not chosen_after(RECORD, "news#EMAIL", "2026-03-01T10:00:01Z")
    assert not chosen_after(RECORD, "other#EMAIL", "2026-03-01T00:00:00Z")  # e-mail confirmed before that
    assert chosen_after(RECORD, "other#EMAIL", "2026-01-01T00:00:00Z")  # ... and after this
    assert chosen_after(RECORD, "all", "2026-03-01T08:00:00Z")
    assert not chosen_after(None, "news#EMAIL", "2020-01-01T00:00:00Z")


def test_confirmed_after_is_per_channel():
    assert confirmed_after(RECORD, "SMS", "2026-03-15T00:00:00Z")
    assert not confirmed_after(RECORD, "EMAIL", "2026-03-15T00:00:00Z")
