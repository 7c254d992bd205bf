"""components/athena.py: every solution that queries has its own workgroup, all with the same secure defaults."""
from __future__ import annotations

import json

import pytest

WORKGROUP = "aws:athena/workgroup:Workgroup"
# workgroup -> the bucket its results go to (the owner's)
OWNERS = {"events-workgroup": "events-lake", "segmentation-workgroup": "segmentation-data",
          "engagement-workgroup": "engagement-data"}


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_every_workgroup_of_the_stack_has_the_same_enforced_encrypted_limited_configuration(
        stack, dev_recording, prod_recording):
    recording = {"dev": dev_recording, "prod": prod_recording}[stack]
    key = recording.by_name("shared-data-key").state["arn"]
    workgroups = {r.name: r for r in recording.by_type(WORKGROUP)}
    assert set(workgroups) == set(OWNERS)
    cutoff = (1024 if stack == "dev" else 10240) * 1024 * 1024  # eventsDatabaseBytesScannedCutoffMb
    for name, workgroup in workgroups.items():
        configuration = workgroup.inputs["configuration"]
        assert configuration["enforceWorkgroupConfiguration"] is True, name
        assert configuration["publishCloudwatchMetricsEnabled"] is True, name
        assert configuration["bytesScannedCutoffPerQuery"] == cutoff, name
        assert configuration["engineVersion"]["selectedEngineVersion"] == "Athena engine version 3", name
        results = configuration["resultConfiguration"]
        assert results["encryptionConfiguration"] == {"encryptionOption": "SSE_KMS", "kmsKeyArn": key}, name
        bucket = recording.by_name(OWNERS[name]).state["bucket"]
        assert results["outputLocation"] == f"s3://{bucket}/athena-results/", name
        # The owner's bucket expires what the workgroup writes.
        rules = {r["id"]: r for r in recording.by_name(f"{OWNERS[name]}-lifecycle").inputs["rules"]}
        assert rules["expire-athena-results"]["filter"]["prefix"] == "athena-results/", name
        assert workgroup.inputs["forceDestroy"] is (stack == "dev"), name


def test_each_pipeline_queries_only_in_its_own_workgroup_and_writes_results_only_to_its_own_bucket(dev_recording):
    for solution, machine in (("segmentation", "segmentation-pipeline"), ("engagement", "engagement-workflow")):
        statements = {s["Sid"]: s for s in json.loads(
            dev_recording.by_name(f"{machine}-policy").inputs["policy"])["Statement"]}
        own = f"arn:aws:athena:us-east-1:123456789012:workgroup/engagement-dev-{solution}"
        assert statements["OwnWorkgroup"]["Resource"] == [own]
        athena = [s for s in statements.values() if any(a.startswith("athena:") for a in s["Action"])]
        assert athena == [statements["OwnWorkgroup"]], solution
        bucket = dev_recording.by_name(f"{solution}-data").state["arn"]
        assert statements["QueryResults"]["Resource"] == [f"{bucket}/athena-results/*"]
        # Nothing is written into the events lake: its workgroup and results are the analysts'.
        lake = dev_recording.by_name("events-lake").state["arn"]
        for statement in statements.values():
            if any(a in ("s3:PutObject", "s3:DeleteObject") for a in statement["Action"]):
                assert not any(str(r).startswith(lake) for r in statement["Resource"]), (solution, statement)
        definition = json.loads(dev_recording.by_name(machine).inputs["definition"])
        workgroups = {s["Parameters"]["WorkGroup"] for s in definition["States"].values()
                      if s.get("Resource") == "arn:aws:states:::athena:startQueryExecution"}
        assert workgroups == {f"engagement-dev-{solution}"}


def test_a_workgroup_refuses_a_cutoff_athena_would_refuse():
    from unittest.mock import MagicMock

    from components import athena

    with pytest.raises(ValueError, match="cutoff_mb must be >= 10"):
        athena.create_workgroup("x", athena.WorkgroupArgs(role="x", description="x", bucket_name="b",
                                                          key=MagicMock(), cutoff_mb=5), parent=MagicMock())
