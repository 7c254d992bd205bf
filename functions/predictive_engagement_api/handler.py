"""`GET /recommendations/{user}` (IAM-authorised HTTP API): a user's recommendations from the campaign, now.

Answers JSON only: 200 with the items (an empty list and the reason for a user who unsubscribed from everything
in the preference center, or who opted out of more categories than one filter value holds), 400 for a malformed
user id or count, 503 when Personalize cannot answer. With the category filter, the user's opted-out categories,
read at request time, are the filter's values (contracts.category_consent).
"""
from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.utilities.typing import LambdaContext

from contracts import category_consent as consent

from .settings import client, settings

logger = Logger()
tracer = Tracer()


def respond(status: int, body: dict[str, Any]) -> dict[str, Any]:
    return {"statusCode": status, "headers": {"content-type": "application/json", "cache-control": "no-store"},
            "body": json.dumps(body)}


def valid_user(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value) <= 256 and value.isprintable() and not value.startswith("#")


def consent_of(user_id: str) -> consent.Consent:
    config = settings()
    if not config.preferences_table:
        return consent.NOTHING
    category_map = consent.CategoryMap.from_json(config.category_map) if config.category_map else None
    return consent.read_user(client("dynamodb"), config.preferences_table, user_id, category_map)


def recommendations(user_id: str, count: int) -> dict[str, Any]:
    found = consent_of(user_id)
    if found.unsubscribed_all:
        return {"user_id": user_id, "recommended_items": [], "reason": "unsubscribed_all"}
    if found.opted_out and not found.fits_filter:
        return {"user_id": user_id, "recommended_items": [], "reason": "category_opt_outs_over_filter_limit"}
    request: dict[str, Any] = {"campaignArn": settings().campaign_arn, "userId": user_id, "numResults": count}
    if settings().filter_arn:
        request["filterArn"] = settings().filter_arn
        values = consent.filter_values(found)
        if values:
            request["filterValues"] = values
    found_items = client("personalize-runtime").get_recommendations(**request)
    return {"user_id": user_id, "recommended_items": [i["itemId"] for i in found_items.get("itemList", [])],
            "recommendation_id": found_items.get("recommendationId", "")}


# The answer names the user and what they are offered: never attached to traces.
@tracer.capture_lambda_handler(capture_response=False, capture_error=False)
@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    user_id = (event.get("pathParameters") or {}).get("user")
    if not valid_user(user_id):
        return respond(400, {"error": "invalid_user", "message": "user must be 1-256 printable characters"})
    raw_count = (event.get("queryStringParameters") or {}).get("count", str(settings().recommendation_count))
    # isascii: str.isdigit() also accepts superscripts (int() raises) and other scripts' digits.
    if not (raw_count.isascii() and raw_count.isdigit()) or not 1 <= int(raw_count) <= 100:
        return respond(400, {"error": "invalid_count", "message": "count must be a whole number from 1 to 100"})
    try:
        return respond(200, recommendations(user_id, int(raw_count)))
    except Exception:  # noqa: BLE001 - Personalize or DynamoDB unavailable: a JSON 503, never a raw 500
        logger.exception("recommendations unavailable")
        return respond(503, {"error": "unavailable", "message": "recommendations are unavailable, retry later"})
