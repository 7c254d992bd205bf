"""The writer's defence in depth: items of categories a user opted out of never reach the profile, even when the
batch output contains them (a filter value from an older preference, an item missing from the items dataset).
Preferences are written by the preference center's own store code; categories come from the items catalogue
in Personalize's items CSV format."""
from __future__ import annotations

import pytest

from contracts import category_consent as consent
from contracts import personalize as contract
from functions.predictive_engagement_writer import handler, settings
from tools import preference_seed

from .conftest import NAMES, RUN, profile, save_preferences, stage

CATALOGUE = "predictive-engagement/catalogue/items.csv"
LONG = [c * 100 for c in "abcdefghij"]  # ten 100-character categories: more than one filter value holds
CATEGORY_MAP = ["newsletters/runners-monthly=running", "newsletters/shoe-collector=shoes", "offers=deals",
                f"offers/new-arrivals={','.join(LONG)}"]
ITEMS = {"shoe-1": "shoes", "run-1": "running", "trail-2": "running|Shoes", "run-2": "Running", "deal-1": "deals",
         "run-3": "running"}


@pytest.fixture
def guarded(aws, monkeypatch):
    s3, dynamodb = aws
    monkeypatch.setenv("CATEGORY_MAP", consent.resolve(preference_seed.load_sample(), CATEGORY_MAP).to_json())
    monkeypatch.setenv("ITEMS_CATALOGUE", f"s3://work/{CATALOGUE}")
    settings.reset()
    # The runner reads runners-monthly and every offer: opted out of shoes only.
    save_preferences(dynamodb, "runner", subscriptions={"runners-monthly": ["EMAIL"], "weekly-specials": ["EMAIL"],
                                                        "new-arrivals": ["SMS"]})
    save_preferences(dynamodb, "nothing", attributes={"first_name": "Ana"})  # opted out of every category
    return s3, dynamodb


def upload_catalogue(s3) -> None:
    rows = [",".join(contract.ITEMS_COLUMNS)] + [f"{item},{category},1772400000" for item, category in ITEMS.items()]
    s3.put_object(Bucket="work", Key=CATALOGUE, Body=("\n".join(rows) + "\n").encode())


def output(user: str, items: list[str]) -> str:
    return contract.output_line(user, items, [1.0 / (i + 1) for i in range(len(items))])


RUNNER_OUTPUT = ["shoe-1", "run-1", "trail-2", "not-in-catalogue", "run-2", "run-3"]


def test_items_of_opted_out_categories_are_dropped_and_counted(guarded, lambda_context):
    s3, dynamodb = guarded
    upload_catalogue(s3)
    result = handler.lambda_handler(stage(s3, ["runner", "stranger"], output("runner", RUNNER_OUTPUT)
                                          + output("stranger", ["shoe-1", "not-in-catalogue", "run-1"])),
                                    lambda_context)
    # shoe-1 and trail-2 (also "Shoes", compared without case) are shoes; the unknown item might be: dropped.
    assert profile(dynamodb, "runner").attributes["recommended_items"] == ["run-1", "run-2", "run-3"]
    # No record in the preference center: nothing to honour, the output is written as it is.
    assert profile(dynamodb, "stranger").attributes["recommended_items"] == ["shoe-1", "not-in-catalogue", "run-1"]
    assert (result["dropped_opted_out_category"], result["dropped_uncategorised"]) == (2, 1)
    assert result["catalogue_items"] == len(ITEMS) and result["written"] == 2
    summary = preference_seed.read_events(s3, NAMES)[-1]
    assert summary["attributes"] == {"run_id": RUN, "model_version": result["model_version"], "status": "succeeded"}
    assert summary["metrics"]["dropped_opted_out_category"] == 2.0
    assert summary["metrics"]["dropped_uncategorised"] == 1.0


def test_config_can_keep_items_the_catalogue_gives_no_category(guarded, monkeypatch, lambda_context):
    s3, dynamodb = guarded
    upload_catalogue(s3)
    monkeypatch.setenv("KEEP_UNCATEGORISED_ITEMS", "true")
    settings.reset()
    result = handler.lambda_handler(stage(s3, ["runner"], output("runner", RUNNER_OUTPUT)), lambda_context)
    assert profile(dynamodb, "runner").attributes["recommended_items"] == ["run-1", "not-in-catalogue", "run-2"]
    assert (result["dropped_opted_out_category"], result["dropped_uncategorised"]) == (2, 0)


def test_a_user_whose_opt_outs_do_not_fit_a_filter_value_gets_nothing(guarded, lambda_context):
    s3, dynamodb = guarded
    upload_catalogue(s3)
    result = handler.lambda_handler(stage(s3, ["nothing"], output("nothing", ["run-1", "deal-1"])), lambda_context)
    written = profile(dynamodb, "nothing").attributes
    assert written["recommended_items"] == [] and written["suppressed"] == "category_opt_outs_over_filter_limit"
    assert result["suppressed_over_filter_limit"] == 1


def test_without_a_catalogue_users_with_opt_outs_get_only_what_config_allows(guarded, lambda_context):
    s3, dynamodb = guarded
    result = handler.lambda_handler(stage(s3, ["runner", "stranger"], output("runner", ["run-1", "shoe-1"])
                                          + output("stranger", ["shoe-1"])), lambda_context)
    assert profile(dynamodb, "runner").attributes["recommended_items"] == []
    assert profile(dynamodb, "stranger").attributes["recommended_items"] == ["shoe-1"]
    assert result["dropped_uncategorised"] == 2 and result["catalogue_items"] == 0


def test_the_category_filter_without_its_inputs_is_refused_before_anything_is_read(aws, monkeypatch, lambda_context):
    s3, _ = aws
    monkeypatch.setenv("CATEGORY_MAP", consent.resolve(preference_seed.load_sample(), []).to_json())
    settings.reset()
    with pytest.raises(Exception, match="CATEGORY_MAP is set but PREFERENCES_TABLE or ITEMS_CATALOGUE is not"):
        handler.lambda_handler(stage(s3, ["runner"], output("runner", ["run-1"])), lambda_context)
