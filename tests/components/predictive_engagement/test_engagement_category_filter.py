"""The category filter in the real program under mocks: one Personalize filter chaining the opt-out placeholder
onto the already-interacted exclusion, its IAM scoped to the filter's ARN and the consent inputs, and config
errors stopping before any resource."""
from __future__ import annotations

import hashlib
import json
import re

import boto3
import pulumi
import pytest
from botocore.stub import Stubber

from components.config import ConfigError, load_stack_config
from contracts import category_consent as consent
from tools import preference_seed
from tools.harness import recorder

MAP = ["newsletters/runners-monthly=running", "newsletters/shoe-collector=shoes,boots", "offers=deals"]
ON = {"engagement:predictiveEngagementCategoryFilterEnabled": "true",
      "engagement:predictiveEngagementItemsDatasetEnabled": "true",
      "engagement:predictiveEngagementCategoryMap": json.dumps(MAP)}
EXPRESSION = ('EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase") | '
              "EXCLUDE ItemID WHERE Items.CATEGORY_L1 IN ($CATEGORIES)")


@pytest.fixture(scope="module")
def recording():
    version = "arn:aws:personalize:us-east-1:123456789012:solution/engagement-dev-aws-user-personalization-v2/abc"
    return recorder.record_stack("dev", {**ON, "engagement:predictiveEngagementCampaignEnabled": "true",
                                         "engagement:predictiveEngagementCampaignSolutionVersionArn": version})


def statements(recording, name: str) -> list[dict]:
    return json.loads(recording.by_name(name).inputs["policy"])["Statement"]


def variables(recording, name: str) -> dict:
    return recording.by_name(name).inputs["environment"]["variables"]


def test_one_filter_excludes_bought_items_and_the_users_opted_out_categories(recording):
    exclude = recording.by_name("engagement-exclude-filter")
    assert exclude.inputs["filterExpression"] == EXPRESSION
    # A changed expression replaces the filter under a new name, so the new one exists before the old one goes.
    assert exclude.inputs["name"] == f"engagement-dev-filter-{hashlib.sha256(EXPRESSION.encode()).hexdigest()[:8]}"
    assert recording.by_name("engagement-items").urn in exclude.dependencies  # Items.CATEGORY_L1 must exist


def test_the_declared_filter_is_a_valid_create_filter_request(recording):
    exclude = recording.by_name("engagement-exclude-filter").inputs
    request = {"name": exclude["name"], "datasetGroupArn": exclude["datasetGroupArn"],
               "filterExpression": exclude["filterExpression"]}
    personalize = boto3.client("personalize", region_name="us-east-1", aws_access_key_id="x",
                               aws_secret_access_key="x")
    with Stubber(personalize) as stub:
        stub.add_response("create_filter", {"filterArn": "arn:aws:personalize:us-east-1:1:filter/f"}, request)
        personalize.create_filter(**request)
    shape = personalize.meta.service_model.operation_model("CreateFilter").input_shape.members
    # botocore checks types and minimums; the model's maximums and name pattern are checked here.
    assert re.fullmatch(shape["name"].metadata["pattern"], request["name"])
    assert len(request["name"]) <= shape["name"].metadata["max"]
    assert len(request["filterExpression"]) <= shape["filterExpression"].metadata["max"]


def test_every_consumer_gets_the_map_resolved_from_the_preference_center_file(recording):
    expected = consent.resolve(preference_seed.load_sample(), MAP).to_json()
    for function in ("engagement-export", "engagement-writer", "engagement-api"):
        assert variables(recording, function)["CATEGORY_MAP"] == expected
    writer = variables(recording, "engagement-writer")
    bucket = recording.by_name("engagement-data").state["bucket"]
    assert writer["ITEMS_CATALOGUE"] == f"s3://{bucket}/predictive-engagement/catalogue/items.csv"
    assert writer["KEEP_UNCATEGORISED_ITEMS"] == "false"
    assert variables(recording, "engagement-api")["FILTER_ARN"] == \
        recording.by_name("engagement-exclude-filter").state["filterArn"]


def test_iam_names_the_filter_the_preferences_table_and_the_catalogue_file(recording):
    filter_arn = recording.by_name("engagement-exclude-filter").state["filterArn"]
    table_arn = f"arn:aws:dynamodb:us-east-1:123456789012:table/{variables(recording, 'engagement-export')['PREFERENCES_TABLE']}"
    batch = next(s for s in statements(recording, "engagement-personalize-policy")
                 if "personalize:CreateBatchInferenceJob" in s["Action"])
    assert filter_arn in batch["Resource"]
    api = next(s for s in statements(recording, "engagement-api-policy") if s.get("Sid") == "CampaignRecommendations")
    assert api["Action"] == ["personalize:GetRecommendations"]
    assert api["Resource"] == [recording.by_name("engagement-campaign").state["campaignArn"], filter_arn]
    export = [s for s in statements(recording, "engagement-export-policy") if s["Action"][0].startswith("dynamodb:")]
    assert export == [{"Effect": "Allow", "Action": ["dynamodb:Scan"], "Resource": [table_arn], "Sid": "ReadConsent"}]
    bucket_arn = recording.by_name("engagement-data").state["arn"]
    writer = {s["Sid"]: s for s in statements(recording, "engagement-writer-policy")}
    assert writer["ItemsCatalogue"]["Resource"] == [f"{bucket_arn}/predictive-engagement/catalogue/items.csv"]
    assert writer["MissingCatalogueIsNotFound"]["Condition"] == {
        "StringLike": {"s3:prefix": ["predictive-engagement/catalogue/items.csv"]}}


@pytest.mark.parametrize(("overrides", "key", "fix"), [
    ({**ON, "engagement:predictiveEngagementItemsDatasetEnabled": "false"},
     "predictiveEngagementItemsDatasetEnabled", "predictiveEngagementItemsDatasetEnabled true"),
    ({**ON, "engagement:preferenceCenterEnabled": "false"},
     "predictiveEngagementCategoryFilterEnabled", "preferenceCenterEnabled true"),
    ({**ON, "engagement:predictiveEngagementCategoryMap": '["offers: deals"]'},
     "predictiveEngagementCategoryMap", "is not `<category>[/<publication>]=<item category>"),
])
def test_impossible_settings_name_the_key_and_the_fix(overrides, key, fix):
    with pytest.raises(ConfigError) as error:
        load_stack_config({"engagement:eventsDatabaseEnabled": "true", "engagement:preferenceCenterEnabled": "true",
                           "engagement:predictiveEngagementEnabled": "true", **overrides})
    assert f"config key 'engagement:{key}'" in str(error.value) and fix in str(error.value)


@pytest.mark.parametrize(("entries", "message"), [
    (["gadgets=phones"], "names category 'gadgets', which preference center 'default' does not have"),
    (["offers/runners-monthly=running"], "names publication 'runners-monthly', which is not in category 'offers'"),
    ([f"offers=cat{i:096d}" for i in range(30)], "too many for a Lambda environment"),
])
def test_a_map_the_preference_center_file_cannot_satisfy_stops_before_any_resource(monkeypatch, entries, message):
    registered = []
    original = recorder.RecordingMonitor.RegisterResource

    def counting(self, request):
        if request.type != recorder.STACK_TYPE:
            registered.append(request.name)
        return original(self, request)

    monkeypatch.setattr(recorder.RecordingMonitor, "RegisterResource", counting)
    with pytest.raises(pulumi.RunError) as raised:
        recorder.record_stack("dev", {**ON, "engagement:predictiveEngagementCategoryMap": json.dumps(entries)})
    text = str(raised.value)
    assert "config key 'engagement:predictiveEngagementCategoryMap'" in text and message in text
    assert "Fix:" in text and registered == []


def test_prod_honours_category_opt_outs_as_the_stack_file_maps_them(prod_recording):
    assert prod_recording.by_name("engagement-exclude-filter").inputs["filterExpression"] == EXPRESSION
    mapped = consent.CategoryMap.from_json(variables(prod_recording, "engagement-writer")["CATEGORY_MAP"])
    assert mapped.publications_of["sneakers"] == {"shoe-collector"}
    assert mapped.publications_of["clearance"] == {"weekly-specials", "new-arrivals"}
    assert prod_recording.by_name("engagement-items").protect
