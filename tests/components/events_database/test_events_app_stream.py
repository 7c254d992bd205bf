"""The application stream under mocks: applications' own Firehose stream into the same table, through a transform
that takes custom app events only; the ingest policy reaches it alone, trusted producers keep the main stream."""
from __future__ import annotations

import json

import pytest

STREAM = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"
FUNCTION = "aws:lambda/function:Function"


def _without_per_stream_fields(s3: dict) -> dict:
    """The stream's S3 configuration without what must differ per stream: its role, log group, transform."""
    s3 = json.loads(json.dumps(s3))
    s3.pop("roleArn")
    s3["s3BackupConfiguration"].pop("roleArn")
    s3["cloudwatchLoggingOptions"].pop("logGroupName")
    s3["s3BackupConfiguration"]["cloudwatchLoggingOptions"].pop("logGroupName")
    s3["dataFormatConversionConfiguration"]["schemaConfiguration"].pop("roleArn")
    for processor in s3["processingConfiguration"]["processors"]:
        processor["parameters"] = [p for p in processor["parameters"] if p["parameterName"] != "LambdaArn"]
    return s3


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_both_streams_write_the_same_table_the_same_way(stack, dev_recording, prod_recording):
    recording = {"dev": dev_recording, "prod": prod_recording}[stack]
    streams = {r.name: r.inputs for r in recording.by_type(STREAM)}
    assert set(streams) == {"events-stream", "events-app-stream"}
    main, app = streams["events-stream"], streams["events-app-stream"]
    assert (main["name"], app["name"]) == (f"engagement-{stack}-events", f"engagement-{stack}-events-app")
    assert app["serverSideEncryption"] == main["serverSideEncryption"]
    # Same lake bucket, prefixes, error and raw-backup prefixes, buffers, Parquet conversion into the same table.
    assert _without_per_stream_fields(app["extendedS3Configuration"]) == \
        _without_per_stream_fields(main["extendedS3Configuration"])
    assert app["extendedS3Configuration"]["dataFormatConversionConfiguration"]["schemaConfiguration"][
        "tableName"] == "all_events"


def test_each_stream_invokes_its_own_transform_and_only_the_app_one_takes_app_events_only(dev_recording):
    functions = {r.name: r for r in dev_recording.by_type(FUNCTION)}
    main, app = functions["events-transform"], functions["events-app-transform"]
    main_env, app_env = main.inputs["environment"]["variables"], app.inputs["environment"]["variables"]
    assert app_env["APP_EVENTS_ONLY"] == "true" and "APP_EVENTS_ONLY" not in main_env
    assert (main.inputs["handler"], main.inputs["runtime"]) == (app.inputs["handler"], app.inputs["runtime"])
    assert {k: v for k, v in app_env.items() if k not in ("APP_EVENTS_ONLY", "POWERTOOLS_SERVICE_NAME")} == \
        {k: v for k, v in main_env.items() if k != "POWERTOOLS_SERVICE_NAME"}
    for stream, function in (("events-stream", main), ("events-app-stream", app)):
        processor = dev_recording.by_name(stream).inputs["extendedS3Configuration"]["processingConfiguration"][
            "processors"][0]
        params = {p["parameterName"]: p["parameterValue"] for p in processor["parameters"]}
        assert params["LambdaArn"] == function.state["arn"] + ":$LATEST"
    role = {s["Sid"]: s for s in json.loads(
        dev_recording.by_name("events-app-firehose-policy").inputs["policy"])["Statement"]}
    assert role["Transform"]["Resource"] == [app.state["arn"], app.state["arn"] + ":*"]


def test_app_stream_has_its_own_alarms_on_its_own_metrics(dev_recording):
    alarms = {r.name: r.inputs for r in dev_recording.by_type("aws:cloudwatch/metricAlarm:MetricAlarm")}
    app_service = dev_recording.by_name("events-app-transform").inputs["environment"]["variables"][
        "POWERTOOLS_SERVICE_NAME"]
    main_service = dev_recording.by_name("events-transform").inputs["environment"]["variables"][
        "POWERTOOLS_SERVICE_NAME"]
    assert app_service != main_service
    assert alarms["events-app-transform-rejects"]["dimensions"] == {"service": app_service}
    assert alarms["events-transform-rejects"]["dimensions"] == {"service": main_service}
    app_name = dev_recording.by_name("events-app-stream").state["name"]
    assert alarms["events-app-delivery-freshness"]["dimensions"] == {"DeliveryStreamName": app_name}
    assert alarms["events-app-transform-errors"]["dimensions"] == {
        "FunctionName": dev_recording.by_name("events-app-transform").state["name"]}


def test_trusted_producers_keep_the_main_stream_and_apps_get_the_new_outputs(dev_recording):
    main, app = dev_recording.by_name("events-stream").state, dev_recording.by_name("events-app-stream").state
    assert dev_recording.exports["eventsAppStreamName"] == app["name"] == "engagement-dev-events-app"
    assert dev_recording.exports["eventsAppStreamArn"] == app["arn"]
    assert dev_recording.exports["eventsStreamName"] == main["name"]
    assert dev_recording.exports["eventsStreamArn"] == main["arn"]
    # AWS services (SES, End User Messaging, SNS) and the project's Lambdas put on the main stream, never the app one
    targets = [r.inputs["eventDestination"]["kinesisFirehoseDestination"]["deliveryStreamArn"]
               for r in dev_recording.by_type(
                   "aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination")
               if "kinesisFirehoseDestination" in r.inputs["eventDestination"]]
    targets += [r.inputs["kinesisFirehoseDestination"]["deliveryStreamArn"] for r in dev_recording.by_type(
        "aws:pinpoint/smsvoicev2EventDestination:Smsvoicev2EventDestination")]
    targets.append(dev_recording.by_name("events-inbound-sms-to-stream").inputs["endpoint"])
    assert targets and set(targets) == {main["arn"]}
    lambda_streams = {r.name: r.inputs["environment"]["variables"]["EVENTS_STREAM_NAME"]
                      for r in dev_recording.by_type(FUNCTION)
                      if "EVENTS_STREAM_NAME" in r.inputs.get("environment", {}).get("variables", {})}
    assert len(lambda_streams) >= 3 and set(lambda_streams.values()) == {main["name"]}, lambda_streams


def test_stream_names_fit_firehoses_limit_for_any_project_and_stack(dev_recording):
    from components.events_database.delivery import stream_name

    assert dev_recording.by_name("events-stream").inputs["name"] == "engagement-dev-events"  # names that fit: as before
    assert dev_recording.by_name("events-app-stream").inputs["name"] == "engagement-dev-events-app"
    long_stack = "customer-engagement-platform-staging-eu-west-1-payments"
    names = {stream_name("engagement", stack, suffix) for stack in (long_stack, long_stack + "-2")
             for suffix in ("events", "events-app")}
    assert len(names) == 4 and all(len(n) <= 64 and n.startswith("engagement-customer-") for n in names)
