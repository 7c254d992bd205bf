"""The Personalize contract: schema, sufficiency thresholds, batch lines (fuzzed), item ids, UNLOAD."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contracts import personalize as contract


def test_schema_has_personalize_columns_in_csv_order():
    fields = json.loads(contract.interactions_schema())["fields"]
    assert tuple(f["name"] for f in fields) == contract.INTERACTIONS_COLUMNS
    assert {f["name"]: f["type"] for f in fields}["TIMESTAMP"] == "long"


@pytest.mark.parametrize(("interactions", "with_two", "ok"), [(1000, 25, True), (999, 25, False), (1000, 24, False)])
def test_sufficiency_is_personalizes_documented_minimum(interactions, with_two, ok):
    counts = contract.Sufficiency(interactions=interactions, users=30, users_with_two=with_two)
    assert counts.sufficient is ok
    assert ("enough to train" in counts.message) is ok


def test_output_line_round_trips_and_matches_the_documented_shape():
    line = contract.output_line("4638", ["63992", "115149"], [0.0152238, 0.0069081])
    assert json.loads(line) == {"input": {"userId": "4638"}, "output": {
        "recommendedItems": ["63992", "115149"], "scores": [0.0152238, 0.0069081]}, "error": None}
    assert contract.parse_output_line(line) == contract.Recommendation("4638", ("63992", "115149"),
                                                                       (0.0152238, 0.0069081))


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=200), st.text(max_size=200),
                 st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=10),
                              lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
                                  st.sampled_from(["input", "output", "error", "userId", "recommendedItems",
                                                   "scores"]), inner, max_size=4), max_leaves=12).map(json.dumps)))
def test_any_line_parses_or_fails_with_a_counted_reason(line):
    try:
        contract.parse_output_line(line)
    except contract.BatchLineError as error:
        assert error.reason in {"malformed", "no_user", "job_error"}


@pytest.mark.parametrize(("row", "reason"), [
    (("u", None, 1, "click", 1), "missing_item_id"), (("u", "", 1, "click", 1), "missing_item_id"),
    (("u", "i" * 257, 1, "click", 1), "invalid_id"), (("u\x00", "i", 1, "click", 1), "invalid_id"),
    (("u", "i", "later", "click", 1), "invalid_value"), (("u", "i", 1, "click", float("nan")), "invalid_value")])
def test_rows_personalize_would_refuse_are_named(row, reason):
    with pytest.raises(contract.InteractionError) as raised:
        contract.interaction_row(*row)
    assert raised.value.reason == reason


@pytest.mark.parametrize(("sources", "event_type", "tags", "link", "expected"), [
    (("link_parameter:item_id",), "click", {}, "https://x.example/p?a=1&item_id=I%201", "I 1"),
    (("link_parameter:item_id", "tag:item_id"), "click", {"item_id": "T"}, "https://x.example/", "T"),
    (("attribute:product_viewed.sku",), "purchase", {"sku": "S"}, None, None),
    (("attribute:checkout.completed.sku",), "checkout.completed", {"sku": "S"}, None, "S")])
def test_item_id_rules(sources, event_type, tags, link, expected):
    assert contract.item_id_from(sources, event_type, tags, link) == expected


def test_unload_refuses_a_destination_that_could_break_out_of_the_statement():
    with pytest.raises(ValueError, match="must be an s3:// prefix"):
        contract.unload_statement("SELECT 1", "s3://bucket/x' ; DROP TABLE t; --/")
