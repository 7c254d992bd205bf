"""One EventsDatabaseReference for both predictive solutions: given the same config, they read the same events
database, bucket, stream (and key and bus), whether it is this stack's, another stack's or named in config."""
from __future__ import annotations

import json

import pytest
from pulumi.output import Unknown

from components.events_database.reference import STACK_OUTPUTS, EventsDatabaseReference

OTHER_STACK = "acme/engagement/events"
# What the events stack exports (components/stack.py), as another stack's StackReference would read it.
OTHER_OUTPUTS = {"eventsDatabase": "acme_prod_events", "eventsBucket": "acme-prod-events-lake",
                 "eventsStreamName": "acme-prod-events",
                 "eventsStreamArn": "arn:aws:firehose:us-east-1:123456789012:deliverystream/acme-prod-events",
                 "eventsBusName": "acme-prod-events-bus",
                 "kmsKeyArn": "arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-events"}
NAMED = {"engagement:eventsDatabaseExistingGlueDatabaseName": "due_eventdb",
         "engagement:eventsDatabaseExistingBucketName": "due-events-lake",
         "engagement:eventsDatabaseExistingStreamArn":
             "arn:aws:firehose:us-east-1:123456789012:deliverystream/due-events",
         "engagement:eventsDatabaseExistingEventBusName": "due-events-bus",
         "engagement:eventsDatabaseExistingKmsKeyArn": "arn:aws:kms:us-east-1:123456789012:key/9f8e7d6c-due"}
EXISTING = {
    "stack_reference": ({"engagement:eventsDatabaseExistingStackReference": OTHER_STACK},
                        ("acme_prod_events", "acme-prod-events-lake", "acme-prod-events",
                         OTHER_OUTPUTS["eventsStreamArn"], OTHER_OUTPUTS["kmsKeyArn"], "acme-prod-events-bus")),
    "names": (NAMED, ("due_eventdb", "due-events-lake", "due-events", NAMED[
        "engagement:eventsDatabaseExistingStreamArn"], NAMED["engagement:eventsDatabaseExistingKmsKeyArn"],
        "due-events-bus")),
}


def _statements(recording, policy: str) -> dict[str, dict]:
    return {s["Sid"]: s for s in json.loads(recording.by_name(policy).inputs["policy"])["Statement"]}


def _database_of(statement: dict) -> str:
    database, = [r.rsplit("/", 1)[-1] for r in statement["Resource"] if ":database/" in r]
    return database


def _bucket_of(statement: dict) -> str:
    bucket, = {r.removeprefix("arn:aws:s3:::").split("/", 1)[0] for r in statement["Resource"]}
    return bucket


def segmentation_reads(recording) -> tuple:
    """(database, bucket, stream name, stream ARN, lake key) segmentation's resources name."""
    machine = _statements(recording, "segmentation-pipeline-policy")
    database = _database_of(machine["ReadEventsCatalog"])
    sql = recording.by_name("segmentation-feature-sql").inputs["content"]
    assert f'"{database}".email_open' in sql  # the feature SQL, rendered at deploy time, names the same one
    bucket = _bucket_of(machine["ReadEvents"])
    assert recording.by_name("segmentation-prepare").inputs["environment"]["variables"]["EVENTS_BUCKET"] == bucket
    postprocess = recording.by_name("segmentation-postprocess").inputs["environment"]["variables"]
    stream_arn, = _statements(recording, "segmentation-postprocess-policy")["SummaryEvent"]["Resource"]
    key = machine["EventsLakeKey"]["Resource"] if "EventsLakeKey" in machine else None
    return database, bucket, postprocess["EVENTS_STREAM_NAME"], stream_arn, key


def engagement_reads(recording) -> tuple:
    machine = _statements(recording, "engagement-workflow-policy")
    database = _database_of(machine["ReadEventsCatalog"])
    definition = json.loads(recording.by_name("engagement-workflow").inputs["definition"])
    assert definition["States"]["ExportStart"]["Parameters"]["QueryExecutionContext"] == {"Database": database}
    writer = recording.by_name("engagement-writer").inputs["environment"]["variables"]
    stream_arn, = _statements(recording, "engagement-writer-policy")["RunSummaryEvent"]["Resource"]
    key = machine["EventsLakeKey"]["Resource"] if "EventsLakeKey" in machine else None
    return database, _bucket_of(machine["ReadEvents"]), writer["EVENTS_STREAM_NAME"], stream_arn, key


@pytest.mark.parametrize("existing", list(EXISTING), ids=list(EXISTING))
def test_both_solutions_read_the_same_existing_events_database(record, existing):
    # Given a stack without its own events database, and one way of naming an existing one
    overrides, (database, bucket, stream_name, stream_arn, key, bus) = EXISTING[existing]
    # When the program runs (another stack's outputs supplied as its StackReference would read them)
    recording = record("dev", {"engagement:eventsDatabaseEnabled": "false", **overrides},
                       stack_outputs={OTHER_STACK: OTHER_OUTPUTS})
    # Then both predictive solutions name the same database, lake, stream and lake key
    expected = (database, bucket, stream_name, stream_arn, [key])
    assert segmentation_reads(recording) == engagement_reads(recording) == expected
    assert recording.by_name("engagement-realtime-events").inputs["eventBusName"] == bus
    assert [r.name for r in recording.by_type("aws:glue/catalogDatabase:CatalogDatabase")] == ["segmentation-database"]
    references = recording.by_type("pulumi:pulumi:StackReference")
    assert [(r.op, r.id) for r in references] == ([("read", OTHER_STACK)] if existing == "stack_reference" else [])


def test_both_solutions_read_this_stacks_events_database(dev_recording):
    database = dev_recording.by_name("events-database").inputs["name"]
    bucket = dev_recording.by_name("events-lake").state["bucket"]
    stream = dev_recording.by_name("events-stream").state
    expected = (database, bucket, stream["name"], stream["arn"], None)  # the stack key is granted anyway
    assert segmentation_reads(dev_recording) == engagement_reads(dev_recording) == expected
    assert dev_recording.by_name("engagement-realtime-events").inputs["eventBusName"] == \
        dev_recording.by_name("events-bus").state["name"]


def test_offline_plan_of_another_stacks_database_reads_it_once_and_leaves_its_names_unknown(record):
    # Offline, a StackReference cannot be read: both solutions still register, on one read of the other stack.
    recording = record("dev", {"engagement:eventsDatabaseEnabled": "false",
                               "engagement:eventsDatabaseExistingStackReference": OTHER_STACK})
    assert [r.id for r in recording.by_type("pulumi:pulumi:StackReference")] == [OTHER_STACK]
    assert isinstance(recording.by_name("segmentation-feature-sql").inputs["content"], Unknown)
    assert [r.name for r in recording.by_type("aws:glue/catalogDatabase:CatalogDatabase")] == ["segmentation-database"]


def test_the_reference_reads_every_output_the_events_stack_exports(repo_root):
    # The outputs a StackReference requires are ones components/stack.py exports.
    stack_source = (repo_root / "components" / "stack.py").read_text()
    for output in STACK_OUTPUTS.values():
        assert f'pulumi.export("{output}"' in stack_source, output
    assert set(STACK_OUTPUTS) == set(EventsDatabaseReference.__dataclass_fields__)


@pytest.mark.parametrize("existing", list(EXISTING), ids=list(EXISTING))
def test_a_prod_stack_reading_an_existing_events_database_passes_the_prod_policies(record, repo_root, existing):
    from tools.harness.policy_runner import load_pack, load_policy_config, run_pack

    recording = record("prod", {"engagement:eventsDatabaseEnabled": "false", **EXISTING[existing][0]},
                       stack_outputs={OTHER_STACK: OTHER_OUTPUTS})
    report = run_pack(load_pack(repo_root / "policy"), recording,
                      load_policy_config(repo_root / "policy" / "config" / "prod.json"))
    assert [(f.policy, f.resource_name) for f in report.mandatory] == []
