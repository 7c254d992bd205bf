"""GET /recommendations/{user}: API Gateway HTTP API (payload 2.0) events, Stubber for Personalize Runtime
(moto has none), moto DynamoDB for the preference center's table, written by its own code."""
from __future__ import annotations

import json

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from functions.predictive_engagement_api import handler, settings
from functions.preference_api import store
from tools import preference_seed

CAMPAIGN = "arn:aws:personalize:us-east-1:123456789012:campaign/engagement-dev-campaign"
NAMES = preference_seed.Names()


def request(user, count=None):
    return {"version": "2.0", "routeKey": "GET /recommendations/{user}", "rawPath": f"/recommendations/{user}",
            "pathParameters": {"user": user}, "queryStringParameters": {"count": count} if count else None,
            "requestContext": {"http": {"method": "GET"}, "authorizer": {"iam": {"userArn": "arn:aws:iam::1:role/app"}}}}


@pytest.fixture
def api(monkeypatch):
    for key, value in {"AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x", "AWS_DEFAULT_REGION": "us-east-1",
                       "CAMPAIGN_ARN": CAMPAIGN, "PREFERENCES_TABLE": NAMES.preferences_table,
                       "POWERTOOLS_TRACE_DISABLED": "true"}.items():
        monkeypatch.setenv(key, value)
    settings.reset()
    with mock_aws():
        dynamodb = boto3.client("dynamodb")
        preference_seed.create_tables(dynamodb, NAMES)
        runtime = boto3.client("personalize-runtime")
        monkeypatch.setattr(handler, "client", lambda name: runtime if name == "personalize-runtime" else dynamodb)
        with Stubber(runtime) as stub:
            yield stub, dynamodb
            stub.assert_no_pending_responses()
    settings.reset()


def test_recommendations_come_from_the_campaign(api, lambda_context):
    stub, _ = api
    stub.add_response("get_recommendations", {"itemList": [{"itemId": "A"}, {"itemId": "B"}],
                                              "recommendationId": "RID-1"},
                      {"campaignArn": CAMPAIGN, "userId": "u1", "numResults": 2})
    response = handler.lambda_handler(request("u1", "2"), lambda_context)
    assert response["statusCode"] == 200 and response["headers"]["content-type"] == "application/json"
    assert json.loads(response["body"]) == {"user_id": "u1", "recommended_items": ["A", "B"],
                                            "recommendation_id": "RID-1"}


def test_unsubscribed_user_gets_nothing_and_personalize_is_not_asked(api, lambda_context):
    _, dynamodb = api
    current = store.empty_preferences("default", "u2")
    store.save(dynamodb, (NAMES.preferences_table, NAMES.consent_table), current, {**current, "unsubscribed_all": True},
               0, store.RequestMeta(source="one_click"))
    body = json.loads(handler.lambda_handler(request("u2"), lambda_context)["body"])
    assert body == {"user_id": "u2", "recommended_items": [], "reason": "unsubscribed_all"}


@pytest.mark.parametrize(("user", "count"), [("", None), ("x" * 300, None), ("tab\there", None), ("#run", None),
                                             ("u1", "0"), ("u1", "101"), ("u1", "ten"), ("u1", "-1")])
def test_bad_input_is_a_json_400(api, lambda_context, user, count):
    response = handler.lambda_handler(request(user, count), lambda_context)
    assert response["statusCode"] == 400 and json.loads(response["body"])["error"].startswith("invalid_")


def test_personalize_down_is_a_json_503(api, lambda_context):
    stub, _ = api
    stub.add_client_error("get_recommendations", "ResourceNotFoundException", http_status_code=404)
    response = handler.lambda_handler(request("u1"), lambda_context)
    assert response["statusCode"] == 503 and json.loads(response["body"])["error"] == "unavailable"


FILTER = "arn:aws:personalize:us-east-1:123456789012:filter/engagement-dev-filter-0a1b2c3d"


@pytest.fixture
def category_filter(api, monkeypatch):
    from contracts import category_consent as consent

    long_categories = ",".join(c * 100 for c in "abcdefghij")  # more than one filter value holds
    category_map = consent.resolve(preference_seed.load_sample(), [
        "newsletters/runners-monthly=running", "newsletters/shoe-collector=shoes,boots", "offers=deals",
        f"offers/new-arrivals={long_categories}"])
    monkeypatch.setenv("FILTER_ARN", FILTER)
    monkeypatch.setenv("CATEGORY_MAP", category_map.to_json())
    settings.reset()
    stub, dynamodb = api
    for user, changes in (("runner", {"subscriptions": {"runners-monthly": ["EMAIL"], "new-arrivals": ["SMS"]}}),
                          ("nothing", {"attributes": {"first_name": "Ana"}})):
        current = store.empty_preferences("default", user)  # what the preference center's API stores
        store.save(dynamodb, (NAMES.preferences_table, NAMES.consent_table), current, {**current, **changes}, 0,
                   store.RequestMeta(source="preference_page"))
    return stub


def test_opted_out_categories_are_the_filter_values_of_the_request(category_filter, lambda_context):
    category_filter.add_response("get_recommendations", {"itemList": [{"itemId": "run-1"}], "recommendationId": "R"},
                                 {"campaignArn": CAMPAIGN, "userId": "runner", "numResults": 10, "filterArn": FILTER,
                                  "filterValues": {"CATEGORIES": '"boots","shoes"'}})
    # No record in the preference center: the filter applies (already-bought items), with no category values.
    category_filter.add_response("get_recommendations", {"itemList": [{"itemId": "shoe-1"}]},
                                 {"campaignArn": CAMPAIGN, "userId": "stranger", "numResults": 10, "filterArn": FILTER})
    assert json.loads(handler.lambda_handler(request("runner"), lambda_context)["body"])["recommended_items"] == \
        ["run-1"]
    assert json.loads(handler.lambda_handler(request("stranger"), lambda_context)["body"])["recommended_items"] == \
        ["shoe-1"]


def test_opt_outs_beyond_one_filter_value_get_nothing_and_personalize_is_not_asked(category_filter, lambda_context):
    body = json.loads(handler.lambda_handler(request("nothing"), lambda_context)["body"])
    assert body == {"user_id": "nothing", "recommended_items": [], "reason": "category_opt_outs_over_filter_limit"}


@pytest.mark.parametrize("count", ["\u00b2", "\u0661\u0660", "\uff11\uff10", " 5", "5 ", "1e1", "5,6"])
def test_a_count_of_anything_but_ascii_digits_is_a_json_400(api, lambda_context, count):
    # str.isdigit() accepts superscripts (int() then raises: a bare 500) and other scripts' digits.
    response = handler.lambda_handler(request("u1", count), lambda_context)
    assert response["statusCode"] == 400 and json.loads(response["body"])["error"] == "invalid_count"


def test_the_answer_and_errors_are_never_attached_to_traces(api, lambda_context, monkeypatch):
    from aws_lambda_powertools.tracing.tracer import Tracer

    stub, _ = api
    seen = []
    monkeypatch.setattr(Tracer, "_add_response_as_metadata", lambda self, **kw: seen.append(kw["capture_response"]))
    monkeypatch.setattr(Tracer, "_add_full_exception_as_metadata", lambda self, **kw: seen.append(kw["capture_error"]))
    stub.add_response("get_recommendations", {"itemList": [{"itemId": "A"}]},
                      {"campaignArn": CAMPAIGN, "userId": "ana@example.com", "numResults": 10})
    assert handler.lambda_handler(request("ana@example.com"), lambda_context)["statusCode"] == 200
    assert seen == [False]  # the body names the user and what they are offered: X-Ray is no place for it
