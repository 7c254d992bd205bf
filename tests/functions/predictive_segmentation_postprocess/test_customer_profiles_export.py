"""Customer Profiles export with botocore's Stubber (moto has no customer-profiles backend): objects of the declared
type only (the Stubber fails on any other call, e.g. a definition write), batches of 10, rejected items retried,
and a clear failure."""
from __future__ import annotations

import json

import boto3
import pytest
from botocore.stub import ANY, Stubber

from contracts import churn_profiles
from functions.predictive_segmentation_postprocess import customer_profiles as cp

DOMAIN = "engagement-prod"


def _record(i: int, audience: bool = True) -> dict:
    return {"customer_id": f"c{i}", "score": 0.9, "risk_band": "high", "in_audience": audience,
            "control": not audience, "model_version": "v1", "as_of": "2026-07-01", "address": f"c{i}@example.net"}


@pytest.fixture
def client():
    client = boto3.client("customer-profiles", region_name="us-east-1", aws_access_key_id="x",
                          aws_secret_access_key="x")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def test_profile_objects_carry_only_the_declared_fields():
    """The object type the stack declares and the objects the Lambda sends come from one contract."""
    full = cp.profile_object(_record(1))
    assert set(full) == set(churn_profiles.FIELDS)
    assert set(cp.profile_object({**_record(2), "address": "+15550100"})) == set(churn_profiles.FIELDS) - {"email"}
    assert full[churn_profiles.AUDIENCE_FIELD] == churn_profiles.AUDIENCE_VALUE
    assert churn_profiles.profile_attribute(churn_profiles.AUDIENCE_FIELD) == "churn_in_audience"


def test_export_batches_by_ten_and_retries_rejected_items(client, monkeypatch):
    client, stubber = client
    monkeypatch.setattr(cp.time, "sleep", lambda _seconds: None)
    records = [_record(i, audience=i % 5 != 0) for i in range(12)]
    stubber.add_response("batch_put_profile_object", {"Successful": [], "Failed": [
        {"Id": "c3", "Code": 429, "Message": "slow down"}]},
        {"DomainName": DOMAIN, "ObjectTypeName": cp.OBJECT_TYPE, "Items": ANY})
    stubber.add_response("batch_put_profile_object", {"Successful": [], "Failed": []},
                         {"DomainName": DOMAIN, "ObjectTypeName": cp.OBJECT_TYPE,
                          "Items": [{"Id": "c3", "Object": ANY}]})
    stubber.add_response("batch_put_profile_object", {"Successful": [], "Failed": []},
                         {"DomainName": DOMAIN, "ObjectTypeName": cp.OBJECT_TYPE, "Items": ANY})
    assert cp.export(client, DOMAIN, records) == {"exported": 12}
    control = cp.profile_object(_record(5, audience=False))
    assert control["churn_in_audience"] == "false" and control["churn_control"] == "true"
    assert json.loads(json.dumps(control))["email"] == "c5@example.net"


def test_items_still_rejected_after_the_retries_fail_the_step(client, monkeypatch):
    client, stubber = client
    monkeypatch.setattr(cp.time, "sleep", lambda _seconds: None)
    for _ in range(3):
        stubber.add_response("batch_put_profile_object", {"Successful": [], "Failed": [
            {"Id": "c1", "Code": 400, "Message": "invalid"}]},
            {"DomainName": DOMAIN, "ObjectTypeName": cp.OBJECT_TYPE, "Items": ANY})
    with pytest.raises(cp.CustomerProfilesError, match="1 profile objects were still rejected"):
        cp.export(client, DOMAIN, [_record(1)], max_retries=2)
