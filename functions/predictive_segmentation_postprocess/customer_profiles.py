"""Optional export to Amazon Connect Customer Profiles: churn attributes on profiles, a "predicted to churn" segment.

Customer Profiles is where Amazon Connect outbound campaigns find their audiences (the successor AWS names for
Pinpoint segments). The object type `ChurnScore` maps our fields onto the profile (AccountNumber = customer id,
EmailAddress, and Attributes.churn_*); `BatchPutProfileObject` sends 10 objects per call and failed items are
retried; the segment definition selects profiles with `churn_in_audience = true`, so control-group customers
never reach a campaign. Both definitions are created idempotently on first use.
"""
from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping
from typing import Any

OBJECT_TYPE = "ChurnScore"
SEGMENT = "predicted-to-churn"
BATCH = 10  # BatchPutProfileObject maximum
FIELDS = {
    "customer_id": ("_profile.AccountNumber", "STRING"), "email": ("_profile.EmailAddress", "EMAIL_ADDRESS"),
    "churn_score": ("_profile.Attributes.churn_score", "STRING"),
    "churn_risk_band": ("_profile.Attributes.churn_risk_band", "STRING"),
    "churn_in_audience": ("_profile.Attributes.churn_in_audience", "STRING"),
    "churn_control": ("_profile.Attributes.churn_control", "STRING"),
    "churn_model_version": ("_profile.Attributes.churn_model_version", "STRING"),
    "churn_as_of": ("_profile.Attributes.churn_as_of", "STRING"),
}


class CustomerProfilesError(RuntimeError):
    pass


def ensure_definitions(client: Any, domain: str, expiration_days: int) -> None:
    client.put_profile_object_type(
        DomainName=domain, ObjectTypeName=OBJECT_TYPE, ExpirationDays=expiration_days, AllowProfileCreation=True,
        Description="Daily churn score from predictive segmentation (engagement stack)",
        Fields={name: {"Source": f"_source.{name}", "Target": target, "ContentType": kind}
                for name, (target, kind) in FIELDS.items()},
        Keys={"customer_id": [{"StandardIdentifiers": ["PROFILE", "UNIQUE"], "FieldNames": ["customer_id"]}]})
    try:
        client.get_segment_definition(DomainName=domain, SegmentDefinitionName=SEGMENT)
    except client.exceptions.ResourceNotFoundException:
        client.create_segment_definition(
            DomainName=domain, SegmentDefinitionName=SEGMENT, DisplayName="Predicted to churn",
            Description="Customers the churn model puts at risk, control group excluded",
            SegmentGroups={"Include": "ALL", "Groups": [{"Type": "ALL", "Dimensions": [{"ProfileAttributes": {
                "Attributes": {"churn_in_audience": {"DimensionType": "INCLUSIVE", "Values": ["true"]}}}}]}]})


def profile_object(record: Mapping[str, Any]) -> dict[str, str]:
    obj = {"customer_id": str(record["customer_id"]), "churn_score": f"{float(record['score']):.6f}",
           "churn_risk_band": record["risk_band"], "churn_in_audience": str(bool(record["in_audience"])).lower(),
           "churn_control": str(bool(record["control"])).lower(), "churn_model_version": record["model_version"],
           "churn_as_of": record["as_of"]}
    if record.get("address") and "@" in str(record["address"]):
        obj["email"] = str(record["address"])
    return obj


def export(client: Any, domain: str, records: Iterable[Mapping[str, Any]], max_retries: int = 5) -> dict[str, int]:
    """Send every record; unprocessed items are retried with backoff; what still fails raises (nothing is
    reported as exported that was not)."""
    sent = 0
    batch: list[dict[str, str]] = []
    for record in records:
        batch.append({"Id": str(record["customer_id"]), "Object": json.dumps(profile_object(record))})
        if len(batch) == BATCH:
            sent += _put(client, domain, batch, max_retries)
            batch = []
    if batch:
        sent += _put(client, domain, batch, max_retries)
    return {"exported": sent}


def _put(client: Any, domain: str, items: list[dict[str, str]], max_retries: int) -> int:
    pending = items
    for attempt in range(max_retries + 1):
        response = client.batch_put_profile_object(DomainName=domain, ObjectTypeName=OBJECT_TYPE, Items=pending)
        failed = {f.get("Id") for f in response.get("Failed", [])}
        pending = [item for item in pending if item["Id"] in failed]
        if not pending:
            return len(items)
        time.sleep(min(2.0, 0.1 * 2 ** attempt))
    raise CustomerProfilesError(f"{len(pending)} profile objects were still rejected after {max_retries} retries: "
                                f"{sorted(i['Id'] for i in pending)[:5]}")
