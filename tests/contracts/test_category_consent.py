"""Category opt-outs: the map from preference-center categories to item categories, what a stored preference
record opts out of (records written by the preference center's own store code into moto DynamoDB), and the
filter values in Personalize's documented format."""
from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest
from hypothesis import given
from hypothesis import strategies as st
from moto import mock_aws

from contracts import category_consent as consent
from contracts import personalize as contract
from functions.preference_api import store
from tools import preference_seed

NAMES = preference_seed.Names()
DOC = preference_seed.load_sample()  # categories newsletters (runners-monthly, shoe-collector), offers (...)
DOCUMENTED_INPUT = (Path(__file__).parent / "personalize_filter_values_input.jsonl").read_text().splitlines()


def test_no_entries_maps_each_preference_center_category_onto_itself():
    mapped = consent.resolve(DOC, [])
    assert mapped.center_id == "default"
    assert mapped.publications_of == {"newsletters": {"runners-monthly", "shoe-collector"},
                                      "offers": {"weekly-specials", "new-arrivals"}}


def test_entries_map_categories_and_single_publications_and_add_up():
    mapped = consent.resolve(DOC, ["newsletters/runners-monthly=running", "newsletters/shoe-collector=shoes,boots",
                                   "offers=deals,shoes"])
    assert mapped.publications_of == {"running": {"runners-monthly"}, "boots": {"shoe-collector"},
                                      "shoes": {"shoe-collector", "weekly-specials", "new-arrivals"},
                                      "deals": {"weekly-specials", "new-arrivals"}}
    assert consent.CategoryMap.from_json(mapped.to_json()) == mapped


@pytest.mark.parametrize(("entry", "message"), [
    ("gadgets=phones", "does not have (it has ['newsletters', 'offers'])"),
    ("offers/runners-monthly=running", "is not in category 'offers'"),
    ("offers", "is not `<category>[/<publication>]=<item category>"),
    ('offers=say "cheese"', "no quotes, commas or |"),
    ("offers=shoes|boots", "no quotes, commas or |"),
    ("offers=shoes,", "names item category ''"),
    ("offers=" + "x" * 101, "1-100 letters"),
])
def test_entries_that_cannot_be_used_are_refused_with_the_entry(entry, message):
    with pytest.raises(consent.CategoryMapError) as error:
        consent.resolve(DOC, [entry])
    assert message in str(error.value) and error.value.entry == entry


@pytest.fixture
def table(monkeypatch):
    for key, value in {"AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x", "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(key, value)
    with mock_aws():
        dynamodb = boto3.client("dynamodb")
        preference_seed.create_tables(dynamodb, NAMES)
        yield dynamodb


def save(dynamodb, user: str, center: str = "default", **changes) -> None:
    """What the preference center stores after a user's change (its own store code)."""
    current = store.empty_preferences(center, user)
    store.save(dynamodb, (NAMES.preferences_table, NAMES.consent_table), current, {**current, **changes}, 0,
               store.RequestMeta(source="preference_page"))


def test_stored_preferences_say_which_item_categories_each_user_opted_out_of(table):
    save(table, "runner", subscriptions={"runners-monthly": ["EMAIL"]})
    save(table, "everything", subscriptions={"runners-monthly": ["SMS"], "weekly-specials": ["EMAIL", "SMS"]})
    save(table, "nothing", attributes={"first_name": "Ana"})
    save(table, "gone", unsubscribed_all=True)
    save(table, "elsewhere", center="other-center")  # a record of a center the map does not describe
    mapped = consent.resolve(DOC, ["newsletters/runners-monthly=running", "newsletters/shoe-collector=shoes",
                                   "offers=deals,shoes"])
    found = consent.read_all(table, NAMES.preferences_table, mapped)
    # Subscribed to something for every item category, or no record at all: nothing to honour, not listed.
    assert found == {"runner": consent.Consent(False, ("deals", "shoes")),
                     "nothing": consent.Consent(False, ("deals", "running", "shoes")),
                     "gone": consent.Consent(True, ("deals", "running", "shoes"))}
    assert consent.read_user(table, NAMES.preferences_table, "runner", mapped) == found["runner"]
    assert consent.read_user(table, NAMES.preferences_table, "stranger", mapped) == consent.NOTHING


def test_without_a_map_only_unsubscribe_all_counts_in_any_center(table):
    save(table, "runner", subscriptions={"runners-monthly": ["EMAIL"]})
    save(table, "gone", center="other-center", unsubscribed_all=True)
    assert consent.read_all(table, NAMES.preferences_table, None) == {"gone": consent.Consent(True, ())}
    assert consent.read_user(table, NAMES.preferences_table, "gone", consent.resolve(DOC, [])).unsubscribed_all


def test_filter_values_are_written_as_the_developer_guide_shows():
    documented = [json.loads(line) for line in DOCUMENTED_INPUT]
    assert documented[0]["filterValues"]["GENRES"] == consent.filter_value(["horror", "comedy", "drama"])
    ours = contract.batch_input_line("5", {"CATEGORIES": consent.filter_value(["horror", "comedy", "drama"])})
    assert json.loads(ours) == {"userId": "5", "filterValues": {"CATEGORIES": documented[0]["filterValues"]["GENRES"]}}
    assert json.loads(contract.batch_input_line("7")) == {"userId": "7"}  # nothing to exclude: no values at all
    assert consent.filter_values(consent.Consent(False, ("shoes",))) == {"CATEGORIES": '"shoes"'}
    assert consent.filter_values(consent.NOTHING) is None


def test_one_filter_value_holds_at_most_1000_characters():
    names = tuple(f"cat{i:06d}" for i in range(83))  # 9 characters, 11 quoted: 83 * 11 + 82 commas = 995
    assert len(consent.filter_value(names)) == 995
    fitting = names + ("ab",)  # 995 + 1 + 4 = 1000
    assert len(consent.filter_value(fitting)) == 1000 and consent.Consent(False, fitting).fits_filter
    too_many = names + ("abc",)
    assert not consent.Consent(False, too_many).fits_filter
    with pytest.raises(ValueError, match="exceed the 1000-character filter value"):
        consent.filter_values(consent.Consent(False, too_many))


@given(st.lists(st.from_regex(consent.CATEGORY_VALUE, fullmatch=True), max_size=12))
def test_what_the_stand_in_reads_back_is_what_was_written(categories):
    assert consent.parse_filter_value(consent.filter_value(categories)) == tuple(categories)


def test_the_writer_compares_categories_without_case_and_reads_multi_valued_cells():
    user = consent.Consent(False, ("Shoes", "deals"))
    assert consent.item_categories("running|SHOES") == {"running", "shoes"}
    assert consent.excluded(consent.item_categories("running|SHOES"), user)
    assert not consent.excluded(consent.item_categories("running"), user)
    assert consent.item_categories("") == frozenset() == consent.item_categories(None)


def test_the_filtered_field_is_the_items_datasets_categorical_field():
    fields = {f["name"]: f for f in json.loads(contract.items_schema())["fields"]}
    assert consent.CATEGORY_FIELD == contract.ITEMS_COLUMNS[1] and fields[consent.CATEGORY_FIELD]["categorical"]
