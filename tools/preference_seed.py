"""Create the preference-center tables, signing secret and contact list locally (moto), as the component does.

Shared by the dev server, the benchmarks and the tests so they all run against the same table layout as the
Pulumi component creates (keys and streams as in DESIGN.md section 4.2 and the handler conventions).
"""
from __future__ import annotations

import base64
import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLE_CONFIG = REPO_ROOT / "preference_center" / "sample.json"


@dataclass(frozen=True)
class Names:
    config_table: str = "pc-config"
    preferences_table: str = "pc-preferences"
    consent_table: str = "pc-consent"
    audience_table: str = "pc-audience"
    secret_name: str = "pc-signing-key"
    contact_list: str = "pc-contacts"
    opt_out_list: str = "pc-sms-opt-out"
    events_stream: str = "pc-events"
    events_bucket: str = "pc-events-bucket"
    addresses_table: str = "pc-addresses"


def create_tables(dynamodb: Any, names: Names = Names()) -> None:
    def table(name: str, keys: list[tuple[str, str]], **extra: Any) -> None:
        dynamodb.create_table(
            TableName=name, BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": k, "KeyType": t} for k, t in keys],
            AttributeDefinitions=[{"AttributeName": k, "AttributeType": "S"} for k, _ in keys], **extra)

    table(names.config_table, [("preference_center_id", "HASH")])
    table(names.preferences_table, [("user_id", "HASH"), ("preference_center_id", "RANGE")],
          StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    table(names.consent_table, [("subject", "HASH"), ("recorded_at", "RANGE")])
    table(names.audience_table, [("audience", "HASH"), ("user_id", "RANGE")])
    table(names.addresses_table, [("address_key", "HASH")])


def put_config(dynamodb: Any, document: dict[str, Any], names: Names = Names(), version: int = 1) -> None:
    dynamodb.put_item(TableName=names.config_table, Item={
        "preference_center_id": {"S": document["id"]},
        "config": {"S": json.dumps(document)},
        "version": {"N": str(version)},
    })


def new_key_secret_string(kid: str) -> str:
    """The secret's value as functions/signing_key_rotation writes it: link key and CloudFront's origin proof."""
    return json.dumps({"kid": kid, "key": base64.b64encode(secrets.token_bytes(32)).decode(),
                       "origin_verify": secrets.token_urlsafe(32)})


def origin_verify(secretsmanager: Any, secret_arn: str) -> str:
    """The X-Origin-Verify value CloudFront would add right now (AWSCURRENT)."""
    return json.loads(secretsmanager.get_secret_value(SecretId=secret_arn)["SecretString"])["origin_verify"]


def verify_sender(ses: Any, document: dict[str, Any]) -> None:
    """Verify the confirmation sender's domain (moto's SES refuses to send from unverified identities)."""
    ses.verify_domain_identity(Domain=document["confirmation"]["email_from"].split("@", 1)[1])


def sent_messages() -> list[dict[str, Any]]:
    """Every e-mail moto's SES accepted so far: {"to": [...], "subject": ..., "body": ...} (moto only)."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    backend = ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]
    return [{"to": list(m.destinations.get("ToAddresses", [])), "subject": m.subject, "body": m.body}
            for m in backend.sent_messages]


def create_signing_secret(secretsmanager: Any, names: Names = Names(), kid: str = "k1") -> str:
    return secretsmanager.create_secret(Name=names.secret_name,
                                        SecretString=new_key_secret_string(kid))["ARN"]


def create_contact_list(sesv2: Any, document: dict[str, Any], names: Names = Names()) -> None:
    topics = [{"TopicName": p["id"], "DisplayName": p["id"], "DefaultSubscriptionStatus": "OPT_OUT"}
              for c in document["categories"] for p in c["publications"] if "EMAIL" in p["channels"]]
    sesv2.create_contact_list(ContactListName=names.contact_list, Topics=topics)


def create_events_stream(s3: Any, firehose: Any, names: Names = Names()) -> None:
    s3.create_bucket(Bucket=names.events_bucket)
    firehose.create_delivery_stream(
        DeliveryStreamName=names.events_stream, DeliveryStreamType="DirectPut",
        ExtendedS3DestinationConfiguration={"RoleARN": "arn:aws:iam::123456789012:role/firehose",
                                            "BucketARN": f"arn:aws:s3:::{names.events_bucket}",
                                            "Prefix": "events/"})


def read_events(s3: Any, names: Names = Names()) -> list[dict[str, Any]]:
    """Every event delivered so far (moto writes one object per put_record, no buffering)."""
    found = []
    listing = s3.list_objects_v2(Bucket=names.events_bucket).get("Contents", [])
    for obj in sorted(listing, key=lambda o: (o["LastModified"], o["Key"])):
        body = s3.get_object(Bucket=names.events_bucket, Key=obj["Key"])["Body"].read().decode()
        found.extend(json.loads(line) for line in body.splitlines() if line.strip())
    return found


def api_environment(names: Names, secret_arn: str, page_base_url: str, with_events: bool = True) -> dict[str, str]:
    return {
        "CONFIG_TABLE": names.config_table,
        "PREFERENCES_TABLE": names.preferences_table,
        "CONSENT_TABLE": names.consent_table,
        "SIGNING_SECRET_ARN": secret_arn,
        "EVENTS_STREAM_NAME": names.events_stream if with_events else "",
        "PAGE_BASE_URL": page_base_url,
        "ADDRESSES_TABLE": names.addresses_table,
        "POWERTOOLS_SERVICE_NAME": "preference-api",
        "LOG_LEVEL": "WARNING",
    }


def load_sample() -> dict[str, Any]:
    return json.loads(SAMPLE_CONFIG.read_text(encoding="utf-8"))


def sync_environment(names: Names) -> dict[str, str]:
    """preference_sync's environment, as components/preference_center/sync.py sets it."""
    return {"PREFERENCES_TABLE": names.preferences_table, "AUDIENCE_TABLE": names.audience_table,
            "CONFIG_TABLE": names.config_table, "CONTACT_LIST_NAME": names.contact_list,
            "OPT_OUT_LIST_NAME": names.opt_out_list, "EVENTS_STREAM_NAME": names.events_stream,
            "ADDRESSES_TABLE": names.addresses_table}
