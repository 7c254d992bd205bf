"""Vocabulary of the events contract: kinds, SMS keywords, and the producer -> view map the README renders."""
from __future__ import annotations

import pytest

from contracts.events import KINDS, OPT_OUT_KEYWORDS, VIEW_FEEDS, inbound_keyword, partition_kind, view_names
from contracts.events.vocabulary import EVENT_SOURCES, SMS_FAILURE_TYPES, SMS_PROGRESS_TYPES, SMS_SUCCESS_TYPES


def test_every_view_says_which_producers_feed_it():
    assert set(VIEW_FEEDS) == set(view_names())
    for feeds in VIEW_FEEDS.values():
        assert feeds and all(source in EVENT_SOURCES for source, _, _ in feeds)


def test_sms_outcomes_are_partitioned_into_progress_success_and_failure():
    groups = (set(SMS_PROGRESS_TYPES), set(SMS_SUCCESS_TYPES), set(SMS_FAILURE_TYPES))
    assert not (groups[0] & groups[1] or groups[0] & groups[2] or groups[1] & groups[2])
    assert "text_protect_blocked" in groups[2] and "text_successful" in groups[1]


def test_partition_kind_is_the_type_when_known():
    assert partition_kind("preference_center.unsubscribe") == "preference_center.unsubscribe"
    assert partition_kind("checkout.completed") == "other"
    assert KINDS[-1] == "other"


@pytest.mark.parametrize("keyword", sorted(OPT_OUT_KEYWORDS))
def test_every_aws_opt_out_keyword_opts_out(keyword):
    assert inbound_keyword(keyword.lower(), None) == (keyword, "opted_out")


def test_the_registered_keyword_counts_when_the_body_is_not_one():
    assert inbound_keyword("", "STOP") == ("STOP", "opted_out")
    assert inbound_keyword(None, None) == (None, "received")
