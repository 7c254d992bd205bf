"""DynamoDB tables (configuration, preferences, consent log, audiences) and the deployed configuration item.

All tables: on-demand capacity (traffic follows mail sends: spiky, mostly idle), SSE with the stack key, PITR,
deletion protection and `protect` in prod. Key names are the ones the handlers use (functions/preference_api,
functions/preference_sync).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from ..kms import EncryptionKey


@dataclass(frozen=True)
class Tables:
    config: aws.dynamodb.Table
    preferences: aws.dynamodb.Table
    consent: aws.dynamodb.Table
    audience: aws.dynamodb.Table
    addresses: aws.dynamodb.Table


def _table(name: str, description: str, hash_key: str, range_key: str | None, key: EncryptionKey,
           protect: bool, parent: pulumi.Resource, **extra: Any) -> aws.dynamodb.Table:
    attributes = [aws.dynamodb.TableAttributeArgs(name=hash_key, type="S")]
    if range_key:
        attributes.append(aws.dynamodb.TableAttributeArgs(name=range_key, type="S"))
    return aws.dynamodb.Table(
        name, billing_mode="PAY_PER_REQUEST", hash_key=hash_key, range_key=range_key, attributes=attributes,
        server_side_encryption=aws.dynamodb.TableServerSideEncryptionArgs(enabled=True, kms_key_arn=key.arn),
        point_in_time_recovery=aws.dynamodb.TablePointInTimeRecoveryArgs(enabled=True),
        deletion_protection_enabled=protect, tags={"purpose": description},
        opts=pulumi.ResourceOptions(parent=parent, protect=protect), **extra)


def create_tables(name: str, key: EncryptionKey, protect: bool, parent: pulumi.Resource) -> Tables:
    return Tables(
        config=_table(f"{name}-config", "preference-center-configuration", "preference_center_id", None, key,
                      protect, parent),
        # The stream drives preference_sync (SES contacts, SMS opt-outs, audiences, events); both images are
        # needed to tell what changed (an address replaced, a subscription dropped).
        preferences=_table(f"{name}-preferences", "user-preferences", "user_id", "preference_center_id", key,
                           protect, parent, stream_enabled=True, stream_view_type="NEW_AND_OLD_IMAGES"),
        # Append-only evidence (CAN-SPAM/GDPR): the API may only PutItem here, never update or delete.
        consent=_table(f"{name}-consent", "consent-log", "subject", "recorded_at", key, protect, parent),
        audience=_table(f"{name}-audience", "publication-channel-audiences", "audience", "user_id", key,
                        protect, parent),
        # One item per confirmed address: its owner (at most one record) and its confirmation-send counter.
        addresses=_table(f"{name}-addresses", "address-registry", "address_key", None, key, protect, parent),
    )


def config_version(document: dict[str, Any]) -> int:
    """A number that changes exactly when the configuration does: deterministic, so no spurious diff."""
    digest = hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()
    return int(digest[:12], 16)


def create_config_item(name: str, table: aws.dynamodb.Table, document: dict[str, Any],
                       parent: pulumi.Resource) -> aws.dynamodb.TableItem:
    item = {"preference_center_id": {"S": document["id"]},
            "config": {"S": json.dumps(document, separators=(",", ":"), ensure_ascii=False)},
            "version": {"N": str(config_version(document))}}
    return aws.dynamodb.TableItem(f"{name}-config-item", table_name=table.name, hash_key=table.hash_key,
                                  item=json.dumps(item, sort_keys=True), opts=pulumi.ResourceOptions(parent=parent))
