"""The AWS side of predictive engagement's local mode, under moto: the preference center's table (written by the
preference center's own store code), the export Lambda's consent read, the writer Lambda as deployed, and the
profile store read back. One account for the whole run, so the writer sees what the export saw, and later
changes too.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from contracts import category_consent as consent
from contracts import personalize as contract

BUCKET, PROFILES = "local-work", "profile-store"
CATALOGUE_KEY = f"{contract.CATALOGUE_PREFIX}items.csv"
MODEL = "arn:aws:personalize:us-east-1:123456789012:solution/local/als"


class LocalAccount:
    def __init__(self, names: Any) -> None:
        import boto3

        self.names = names
        self.s3, self.dynamodb = boto3.client("s3"), boto3.client("dynamodb")
        self.records: dict[str, dict[str, Any]] = {}

    def save_preferences(self, chosen: dict[str, dict[str, list[str]]], center: str = "default") -> None:
        """Each shopper's saved page, as the preference center's own store code builds the item
        (store.record_items: a first save, or a change on top of the shopper's previous one), written in batches:
        one transaction per user is slow under moto, and the consent log, which nothing here reads, is left out."""
        from functions.preference_api import store

        tables = (self.names.preferences_table, self.names.consent_table)
        meta = store.RequestMeta(source="preference_page")
        puts = []
        for user, subscriptions in chosen.items():
            current = self.records.get(user) or store.empty_preferences(center, user)
            record, items = store.record_items(tables, current, {**current, "subscriptions": subscriptions},
                                               current["version"], meta)
            self.records[user] = record
            puts.append({"PutRequest": {"Item": items[0]["Put"]["Item"]}})
        for start in range(0, len(puts), 25):
            self.dynamodb.batch_write_item(RequestItems={self.names.preferences_table: puts[start:start + 25]})

    def consents(self) -> dict[str, consent.Consent]:
        """What the export Lambda reads before it writes the batch input."""
        from functions.predictive_engagement_export import handler, settings

        settings.reset()
        return handler.read_consents() or {}

    def write(self, users_jsonl: str, output_lines: str, catalogue_csv: str, run_id: str) -> dict[str, Any]:
        """The writer Lambda's handler on the run's files, with the items catalogue beside them."""
        from functions.predictive_engagement_writer import handler, settings
        from tools.lambda_context import LocalLambdaContext

        prefix = f"predictive-engagement/runs/{run_id}/"
        self.s3.put_object(Bucket=BUCKET, Key=f"{prefix}batch-input/users.jsonl", Body=users_jsonl.encode())
        self.s3.put_object(Bucket=BUCKET, Key=f"{prefix}batch-output/users.jsonl.out", Body=output_lines.encode())
        self.s3.put_object(Bucket=BUCKET, Key=CATALOGUE_KEY, Body=catalogue_csv.encode())
        settings.reset()
        return handler.lambda_handler({
            "run_id": run_id, "model_version": MODEL,
            "batch_input_location": f"s3://{BUCKET}/{prefix}batch-input/users.jsonl",
            "batch_output_location": f"s3://{BUCKET}/{prefix}batch-output/"},
            LocalLambdaContext("predictive-engagement-writer-local"))

    def profiles(self) -> dict[str, Any]:
        """What readers of the profile store see now (contracts.profile_store.effective), every user at once."""
        from contracts import profile_store

        promoted = profile_store.promoted_run(self.dynamodb, PROFILES, contract.NAMESPACE)
        found = {}
        for page in self.dynamodb.get_paginator("scan").paginate(TableName=PROFILES, ConsistentRead=True):
            for item in page["Items"]:
                if item[profile_store.RANGE_KEY]["S"] == contract.NAMESPACE and \
                        item[profile_store.HASH_KEY]["S"] != profile_store.POINTER_ID:
                    profile = profile_store.effective(item, promoted)
                    if profile is not None:
                        found[profile.customer_id] = profile
        return found


@contextmanager
def local_account(category_map: consent.CategoryMap) -> Iterator[LocalAccount]:
    import boto3
    from moto import mock_aws

    from contracts import profile_store
    from functions.predictive_engagement_export import settings as export_settings
    from functions.predictive_engagement_writer import settings as writer_settings
    from tools import preference_seed
    from tools.lambda_context import lambda_environment

    names = preference_seed.Names()
    env = {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local", "AWS_DEFAULT_REGION": "us-east-1",
           "PROFILE_TABLE": PROFILES, "RECOMMENDATION_COUNT": "10", "WORK_BUCKET": BUCKET,
           "PREFERENCES_TABLE": names.preferences_table, "CATEGORY_MAP": category_map.to_json(),
           "ITEMS_CATALOGUE": f"s3://{BUCKET}/{CATALOGUE_KEY}"}
    with lambda_environment(env), mock_aws():
        s3, dynamodb = boto3.client("s3"), boto3.client("dynamodb")
        s3.create_bucket(Bucket=BUCKET)
        dynamodb.create_table(TableName=PROFILES, BillingMode="PAY_PER_REQUEST",
                              KeySchema=[{"AttributeName": profile_store.HASH_KEY, "KeyType": "HASH"},
                                         {"AttributeName": profile_store.RANGE_KEY, "KeyType": "RANGE"}],
                              AttributeDefinitions=[{"AttributeName": profile_store.HASH_KEY, "AttributeType": "S"},
                                                    {"AttributeName": profile_store.RANGE_KEY, "AttributeType": "S"}])
        preference_seed.create_tables(dynamodb, names)
        try:
            yield LocalAccount(names)
        finally:
            export_settings.reset()
            writer_settings.reset()


def catalogue_csv(category_of: dict[str, str], created: int) -> str:
    """The items catalogue in Personalize's items CSV (contracts.personalize.ITEMS_COLUMNS)."""
    rows = [",".join(contract.ITEMS_COLUMNS)] + [f"{item},{category},{created}"
                                                  for item, category in sorted(category_of.items())]
    return "\n".join(rows) + "\n"


def filter_categories(users_jsonl: str) -> dict[str, frozenset[str]]:
    """Per user, the categories the batch input's filter values exclude: what Personalize's filter applies."""
    excluded = {}
    for line in users_jsonl.splitlines():
        record = json.loads(line)
        value = (record.get("filterValues") or {}).get(consent.FILTER_PARAMETER)
        if value:
            excluded[record["userId"]] = frozenset(consent.parse_filter_value(value))
    return excluded
