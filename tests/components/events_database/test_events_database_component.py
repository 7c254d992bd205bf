"""EventsDatabase under mocks: every resource the issue names, with its encryption and scoping."""
from __future__ import annotations

import json

from contracts import events as contract
from components.events_database.sources import SES_EVENT_TYPES

STREAM = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"


def _statements(registration) -> list[dict]:
    return json.loads(registration.inputs["policy"])["Statement"]


def test_firehose_transforms_converts_partitions_and_encrypts(dev_recording):
    stream = dev_recording.by_name("events-stream").inputs
    s3 = stream["extendedS3Configuration"]
    assert stream["serverSideEncryption"] == {"enabled": True, "keyType": "CUSTOMER_MANAGED_CMK",
                                              "keyArn": dev_recording.by_name("shared-data-key").state["arn"]}
    assert s3["prefix"] == "events/channel=!{partitionKeyFromLambda:channel}/kind=!{partitionKeyFromLambda:kind}/" \
                           "dt=!{partitionKeyFromLambda:dt}/"
    assert s3["errorOutputPrefix"].startswith("errors/!{firehose:error-output-type}/")
    assert (s3["bufferingInterval"], s3["bufferingSize"]) == (900, 64)
    assert s3["dynamicPartitioningConfiguration"]["enabled"] is True
    assert s3["compressionFormat"] == "UNCOMPRESSED"
    conversion = s3["dataFormatConversionConfiguration"]
    assert conversion["outputFormatConfiguration"]["serializer"]["parquetSerDe"]["compression"] == "GZIP"
    assert conversion["schemaConfiguration"]["tableName"] == "all_events"
    processor = s3["processingConfiguration"]["processors"][0]
    params = {p["parameterName"]: p["parameterValue"] for p in processor["parameters"]}
    assert processor["type"] == "Lambda"
    assert params["LambdaArn"] == dev_recording.by_name("events-transform").state["arn"] + ":$LATEST"
    assert s3["s3BackupMode"] == "Enabled" and s3["s3BackupConfiguration"]["prefix"].startswith("raw/")
    assert s3["cloudwatchLoggingOptions"]["enabled"] is True


def test_events_table_uses_partition_projection_and_parquet(dev_recording):
    table = dev_recording.by_name("events-all-events").inputs
    bucket = dev_recording.by_name("events-lake").state["bucket"]
    assert table["name"] == "all_events" and table["databaseName"] == "engagement_dev_events"
    assert table["parameters"] == contract.partition_projection_parameters(bucket)
    assert table["parameters"]["projection.enabled"] == "true"
    assert [k["name"] for k in table["partitionKeys"]] == ["channel", "kind", "dt"]
    assert [(c["name"], c["type"]) for c in table["storageDescriptor"]["columns"]] == [
        (c.name, c.hive_type) for c in contract.EVENT_COLUMNS]
    assert table["storageDescriptor"]["serDeInfo"]["serializationLibrary"].endswith("ParquetHiveSerDe")
    assert not dev_recording.by_type("aws:glue/crawler:Crawler"), "no crawler: projection finds partitions"


def test_every_seed_view_and_the_new_ones_exist_as_glue_views(dev_recording):
    views = {r.inputs["name"]: r.inputs for r in dev_recording.by_type("aws:glue/catalogTable:CatalogTable")
             if r.inputs.get("tableType") == "VIRTUAL_VIEW"}
    seed = {"email_send", "email_hardbounce", "email_softbounce", "email_complaint", "email_delivered",
            "email_open", "email_click", "email_unsubscribe", "email_reject", "sms_buffered", "sms_success",
            "sms_failure", "sms_optout", "campaign_send", "journey_send"}
    new = {"email_rendering_failure", "email_delivery_delay", "email_subscription", "campaign_funnel",
           "sms_spend_by_country", "sms_inbound", "sms_subscription"}
    assert seed | new == set(views) == set(contract.view_names())
    assert all(v["viewOriginalText"].startswith("/* Presto View: ") for v in views.values())


def test_workgroup_enforces_encrypted_results_and_scan_limit(dev_recording):
    workgroup = dev_recording.by_type("aws:athena/workgroup:Workgroup")[0].inputs["configuration"]
    assert workgroup["enforceWorkgroupConfiguration"] is True
    assert workgroup["publishCloudwatchMetricsEnabled"] is True
    assert workgroup["bytesScannedCutoffPerQuery"] == 1024 * 1024 * 1024  # Pulumi.dev.yaml: 1024 MB
    encryption = workgroup["resultConfiguration"]["encryptionConfiguration"]
    assert encryption["encryptionOption"] == "SSE_KMS" and encryption["kmsKeyArn"].startswith("arn:aws:kms:")


def test_ses_publishes_all_event_types_to_the_stream_and_the_bus(dev_recording):
    destinations = dev_recording.by_type(
        "aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination")
    stream_arn = dev_recording.by_name("events-stream").state["arn"]
    kinds = {}
    for destination in destinations:
        event_destination = destination.inputs["eventDestination"]
        assert set(event_destination["matchingEventTypes"]) == set(SES_EVENT_TYPES) and len(SES_EVENT_TYPES) == 10
        kinds.update({k: v for k, v in event_destination.items() if k.endswith("Destination")})
    assert kinds["kinesisFirehoseDestination"]["deliveryStreamArn"] == stream_arn
    assert kinds["eventBridgeDestination"]["eventBusArn"].endswith(":event-bus/default")
    config_set = dev_recording.by_type("aws:sesv2/configurationSet:ConfigurationSet")[0].inputs
    assert config_set["deliveryOptions"]["tlsPolicy"] == "REQUIRE"
    assert config_set["suppressionOptions"]["suppressedReasons"] == ["BOUNCE", "COMPLAINT"]


def test_existing_configuration_sets_get_destinations_too(record):
    recording = record("dev", {"engagement:eventsDatabaseExistingConfigurationSets": '["marketing", "billing"]'})
    targets = {r.inputs["configurationSetName"] for r in recording.by_type(
        "aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination")}
    assert {"marketing", "billing", "engagement-dev"} <= targets


def test_sms_events_reach_the_same_stream(dev_recording):
    destination = dev_recording.by_type("aws:pinpoint/smsvoicev2EventDestination:Smsvoicev2EventDestination")[0]
    assert destination.inputs["matchingEventTypes"] == ["ALL"]
    assert destination.inputs["kinesisFirehoseDestination"]["deliveryStreamArn"] == \
        dev_recording.by_name("events-stream").state["arn"]


def test_ingest_policy_grants_exactly_put_on_the_application_stream(dev_recording):
    # Only the app stream, whose transform refuses every record but a custom app event: the main stream, which SES,
    # End User Messaging, SNS and the project's Lambdas feed, is out of reach of applications' roles.
    statements = _statements(dev_recording.by_name("events-ingest"))
    assert statements == [{"Sid": "PutEngagementEvents", "Effect": "Allow",
                           "Action": ["firehose:PutRecord", "firehose:PutRecordBatch"],
                           "Resource": [dev_recording.by_name("events-app-stream").state["arn"]]}]
    assert json.dumps(dev_recording.by_name("events-stream").state["arn"]) not in json.dumps(statements)
    assert dev_recording.exports["eventsIngestPolicyArn"] == dev_recording.by_name("events-ingest").state["arn"]


def test_firehose_role_is_scoped_to_the_lake_table_and_transform(dev_recording):
    statements = {s["Sid"]: s for s in _statements(dev_recording.by_name("events-firehose-policy"))}
    lake_arn = dev_recording.by_name("events-lake").state["arn"]
    # objects only under the prefixes the stream writes (events/, errors/, raw/, raw-errors/), and each of the
    # stream's own destinations is one of them
    assert statements["DataLake"]["Resource"] == [lake_arn] + [f"{lake_arn}/{p}*" for p in
                                                               ("events/", "errors/", "raw/", "raw-errors/")]
    s3 = dev_recording.by_name("events-stream").inputs["extendedS3Configuration"]
    for prefix in (s3["prefix"], s3["errorOutputPrefix"], s3["s3BackupConfiguration"]["prefix"],
                   s3["s3BackupConfiguration"]["errorOutputPrefix"]):
        assert prefix.startswith(("events/", "errors/", "raw/", "raw-errors/")), prefix
    assert statements["ParquetSchema"]["Resource"][-1].endswith(":table/engagement_dev_events/all_events")
    assert all("*" not in resource for s in statements.values() for resource in s["Resource"]
               if not resource.endswith(("/*", ":*")))


def test_alarms_watch_freshness_rejects_and_errors(dev_recording):
    alarms = {r.name: r.inputs for r in dev_recording.by_type("aws:cloudwatch/metricAlarm:MetricAlarm")
              if r.name.startswith("events-")}
    assert {"events-delivery-freshness", "events-transform-rejects", "events-transform-errors"} <= set(alarms)
    topic = dev_recording.by_name("shared-alarms").state["arn"]
    assert all(alarm["alarmActions"] == [topic] for alarm in alarms.values())
    assert alarms["events-delivery-freshness"]["threshold"] == 2 * 900 + 300


def test_outputs_are_exported(dev_recording):
    exports = dev_recording.exports
    assert exports["eventsDatabase"] == "engagement_dev_events" and exports["eventsTable"] == "all_events"
    assert exports["eventsStreamName"] == "engagement-dev-events"
    for key in ("eventsBucket", "eventsWorkgroup", "eventsStreamArn", "eventsBusName", "eventsRuleName",
                "eventsInboundSmsTopicArn", "eventsTwoWaySmsRoleArn"):
        assert exports[key]


def test_real_time_bus_rule_forwards_only_this_stacks_ses_events(dev_recording):
    rule = dev_recording.by_name("events-ses-events").inputs
    pattern = json.loads(rule["eventPattern"])
    assert pattern["source"] == ["aws.ses"]
    assert pattern["detail"]["mail"]["tags"]["ses:configuration-set"] == ["engagement-dev"]
    target = dev_recording.by_name("events-ses-events-to-bus").inputs
    assert target["deadLetterConfig"]["arn"] == dev_recording.by_name("events-bus-dlq").state["arn"]


def test_seed_database_name_is_kept_by_config(record):
    recording = record("dev", {"engagement:eventsDatabaseGlueDatabaseName": "due_eventdb"})
    assert recording.by_name("events-database").inputs["name"] == "due_eventdb"
    assert recording.by_name("events-all-events").inputs["databaseName"] == "due_eventdb"


def test_transform_bundles_the_contract_and_keeps_raw_events_only_on_request(dev_recording, record):
    from components.packaging import archive_entries

    assert "contracts/events/table.py" in archive_entries("events_transform")
    env = dev_recording.by_name("events-transform").inputs["environment"]["variables"]
    assert env["KEEP_RAW_EVENT"] == "false"
    kept = record("dev", {"engagement:eventsDatabaseKeepRawEvent": "true"})
    assert kept.by_name("events-transform").inputs["environment"]["variables"]["KEEP_RAW_EVENT"] == "true"


def test_two_way_sms_replies_reach_the_stream_through_an_encrypted_topic(dev_recording):
    topic = dev_recording.by_name("events-inbound-sms")
    key_arn = dev_recording.by_name("shared-data-key").state["arn"]
    assert topic.inputs["kmsMasterKeyId"] == key_arn
    subscription = dev_recording.by_name("events-inbound-sms-to-stream").inputs
    assert (subscription["protocol"], subscription["endpoint"]) == (
        "firehose", dev_recording.by_name("events-stream").state["arn"])
    assert subscription["rawMessageDelivery"] is False, "the envelope carries SNS's publish time"
    dead_letters = dev_recording.by_name("events-bus-dlq")
    assert json.loads(subscription["redrivePolicy"]) == {"deadLetterTargetArn": dead_letters.state["arn"]}
    senders = {s["Sid"]: s for s in _statements(dev_recording.by_name("events-bus-dlq-policy"))}
    assert senders["InboundSmsDeadLetters"]["Principal"] == {"Service": "sns.amazonaws.com"}
    assert senders["InboundSmsDeadLetters"]["Condition"] == {"ArnEquals": {"aws:SourceArn": topic.state["arn"]}}
    publish = _statements(dev_recording.by_name("events-two-way-sms-policy"))
    assert {s["Sid"]: s["Resource"] for s in publish} == {"PublishReplies": [topic.state["arn"]],
                                                          "EncryptedTopic": [key_arn]}
    trust = json.loads(dev_recording.by_name("events-two-way-sms").inputs["assumeRolePolicy"])["Statement"][0]
    assert trust["Principal"] == {"Service": "sms-voice.amazonaws.com"} and "aws:SourceAccount" in str(trust)
    assert dev_recording.exports["eventsInboundSmsTopicArn"] == topic.state["arn"]


def test_only_the_two_way_channel_may_publish_replies(dev_recording):
    # A forged reply would STOP or START any registered number (functions/preference_api/sms_keywords.py): the
    # topic policy denies sns:Publish to every principal but the role End User Messaging publishes with, which
    # also overrides an identity policy of the account granting sns:Publish on "*".
    topic = dev_recording.by_name("events-inbound-sms")
    policy = dev_recording.by_name("events-inbound-sms-policy").inputs
    assert policy["arn"] == topic.state["arn"]
    statements = json.loads(policy["policy"])["Statement"]
    denies = [s for s in statements if s["Effect"] == "Deny" and "sns:Publish" in str(s["Action"])]
    assert denies and all(s["Principal"] in ("*", {"AWS": "*"}) for s in denies)
    assert denies[0]["Resource"] == topic.state["arn"]
    assert denies[0]["Condition"] == {"ArnNotEquals": {
        "aws:PrincipalArn": dev_recording.by_name("events-two-way-sms").state["arn"]}}
    assert not [s for s in statements if s["Effect"] == "Allow"], "the topic grants nobody anything"


# Resources AWS checks permissions on when they are created, and the policy each needs in place first.
PERMISSION_CHECKED = {
    "events-stream": "events-firehose-policy",
    "events-ses-to-stream": "events-ses-publisher-policy",
    "events-sms-to-stream": "events-sms-publisher-policy",
    "events-inbound-sms-to-stream": "events-inbound-sms-delivery-policy",
    "events-ses-events-to-bus": "events-bus-forwarder-policy",
}


def test_resources_checked_at_creation_depend_on_their_policies(dev_recording):
    for resource, policy in PERMISSION_CHECKED.items():
        assert dev_recording.by_name(policy).urn in dev_recording.by_name(resource).dependencies, resource


def test_existing_configuration_sets_wait_for_the_publisher_policy_too(record):
    recording = record("dev", {"engagement:eventsDatabaseExistingConfigurationSets": '["marketing"]'})
    destination = recording.by_name("events-existing-marketing-to-stream")
    assert recording.by_name("events-ses-publisher-policy").urn in destination.dependencies
