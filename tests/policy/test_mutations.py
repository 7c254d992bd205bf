"""Mutation tests: the real prod recording, broken one property at a time, must fail the pack (MANDATORY).

Each case edits the inputs and the state of one registration (resource policies read inputs, stack policies
outputs), removes a registration, or adds one minimal resource for a type the program does not create yet.
The mutation score is printed by `test_mutation_score`; every case must be caught.
"""
from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any

import pytest
from google.protobuf import json_format, struct_pb2

from tools.harness.recorder import Recording, Registration

from .conftest import policy_config
from .fixtures import BASELINES, DELETE, changed, doc

REMOVE = object()
STAR = doc({"Sid": "Open", "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"})
ANY: Callable[[dict[str, Any]], bool] = lambda props: True  # noqa: E731


def has(text: str) -> Callable[[dict[str, Any]], bool]:
    return lambda props: text in json.dumps(props)


@dataclasses.dataclass(frozen=True)
class Mutation:
    id: str
    type: str
    changes: Any  # dotted-path changes, a function of the inputs returning them, REMOVE, or ("add", changes)
    expected: str
    select: Callable[[dict[str, Any]], bool] = ANY


FN, LG = "aws:lambda/function:Function", "aws:cloudwatch/logGroup:LogGroup"
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
CF, WG, FH = ("aws:cloudfront/distribution:Distribution", "aws:athena/workgroup:Workgroup",
              "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream")
TBL, CS, ACL = "aws:dynamodb/table:Table", "aws:sesv2/configurationSet:ConfigurationSet", "aws:wafv2/webAcl:WebAcl"
ROLE, RP, KEY = "aws:iam/role:Role", "aws:iam/rolePolicy:RolePolicy", "aws:kms/key:Key"
CT, PERM = "aws:glue/catalogTable:CatalogTable", "aws:lambda/permission:Permission"
EXTERNAL = has("EXTERNAL_TABLE")
SM, SCHED, PROFILES = ("aws:sfn/stateMachine:StateMachine", "aws:scheduler/schedule:Schedule",
                       "aws:customerprofiles/domain:Domain")
PIPELINE = has("createTransformJob")


def in_definition(edit: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """A change to a state machine's definition (a JSON string input)."""
    def change(props: dict[str, Any]) -> dict[str, Any]:
        definition = json.loads(props["definition"])
        edit(definition)
        return {"definition": json.dumps(definition)}
    return change

# Predictive user engagement (components/predictive_engagement), enabled in the prod stack.
PDG, PDS = "aws-native:personalize:DatasetGroup", "aws-native:personalize:Dataset"
ESM, SM, SCHEDULE = ("aws:lambda/eventSourceMapping:EventSourceMapping", "aws:sfn/stateMachine:StateMachine",
                     "aws:scheduler/schedule:Schedule")
ENGAGEMENT = has("Predictive user engagement")
ENGAGEMENT_MUTATIONS = [
    Mutation("personalize-dataset-group-without-key", PDG, {"kmsKeyArn": DELETE},
             "aws-personalize-dataset-group-enable-kms-encryption"),
    Mutation("personalize-add-aws-native-solution", "aws-native:personalize:Solution",
             ("add", {"performAutoTraining": DELETE}), "aws-personalize-solution-disable-automatic-training"),
    Mutation("personalize-add-fifty-tps-campaign", "aws-native:personalize:Campaign", ("add", {"minProvisionedTps": 50}),
             "aws-personalize-campaign-configure-min-provisioned-tps"),
    Mutation("personalize-dataset-imports-at-deploy", PDS, {"datasetImportJob": {
        "jobName": "initial", "dataSource": {"dataLocation": "s3://bucket/x/"}}},
             "aws-personalize-dataset-disallow-deploy-time-import"),
    Mutation("customer-profiles-object-type-kept-forever", "aws-native:customerprofiles:ObjectType",
             {"expirationDays": DELETE}, "aws-customerprofiles-object-type-configure-expiration"),
    Mutation("engagement-forwarder-whole-batch-retries", ESM, {"functionResponseTypes": DELETE},
             "aws-lambda-event-source-mapping-configure-failure-handling", has(":sqs:")),
    Mutation("engagement-realtime-queue-without-dlq", "aws:sqs/queue:Queue", {"redrivePolicy": DELETE},
             "aws-sqs-queue-configure-redrive", has("maxReceiveCount")),
    Mutation("engagement-workflow-unencrypted", SM, {"encryptionConfiguration": DELETE},
             "aws-sfn-state-machine-enable-kms-encryption", ENGAGEMENT),
    Mutation("engagement-schedule-without-dlq", SCHEDULE, {"target.deadLetterConfig": DELETE},
             "aws-scheduler-schedule-enable-dead-letter-queue", has("Daily recommendations run")),
]

MUTATIONS = [
    Mutation("s3-remove-bucket-encryption", SSE, REMOVE, "aws-s3-bucket-enable-kms-encryption", has("aws:kms")),
    Mutation("s3-encryption-downgraded-to-sse-s3", SSE, {"rules": [{"applyServerSideEncryptionByDefault": {
        "sseAlgorithm": "AES256"}}]}, "aws-s3-bucket-enable-kms-encryption", has("aws:kms")),
    Mutation("s3-open-public-access-block-flag", "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
             {"restrictPublicBuckets": False}, "aws-s3-bucket-disallow-public-access"),
    Mutation("s3-remove-public-access-block", "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", REMOVE,
             "aws-s3-bucket-disallow-public-access"),
    Mutation("s3-public-read-acl", "aws:s3/bucket:Bucket", {"acl": "public-read"},
             "aws-s3-bucket-disallow-public-access"),
    Mutation("s3-remove-tls-deny", "aws:s3/bucketPolicy:BucketPolicy", {"policy": doc()},
             "aws-s3-bucket-enforce-tls"),
    Mutation("s3-suspend-versioning", "aws:s3/bucketVersioning:BucketVersioning",
             {"versioningConfiguration.status": "Suspended"}, "aws-s3-bucket-enable-versioning"),
    Mutation("s3-drop-access-logging", "aws:s3/bucketLogging:BucketLogging", REMOVE,
             "aws-s3-bucket-enable-access-logging"),
    Mutation("s3-drop-abort-multipart-rule", "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
             {"rules": [{"id": "expire", "status": "Enabled", "expiration": {"days": 30}}]},
             "aws-s3-bucket-configure-lifecycle"),
    Mutation("s3-bucket-key-off", SSE, {"rules.0.bucketKeyEnabled": False}, "aws-s3-bucket-enable-bucket-key",
             has("aws:kms")),
    Mutation("s3-acls-enabled", "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
             {"rule.objectOwnership": "ObjectWriter"}, "aws-s3-bucket-enforce-bucket-owner"),
    Mutation("iam-action-star-in-role-policy", RP, {"policy": doc({"Effect": "Allow", "Action": "*",
                                                                    "Resource": "*"})},
             "aws-iam-policy-disallow-wildcard-actions"),
    Mutation("iam-passrole-on-star", RP, {"policy": doc({"Effect": "Allow", "Action": "iam:PassRole",
                                                          "Resource": "*"})},
             "aws-iam-policy-disallow-passrole-wildcard"),
    Mutation("iam-trust-anyone", ROLE, {"assumeRolePolicy": doc({"Effect": "Allow", "Principal": {"AWS": "*"},
                                                                  "Action": "sts:AssumeRole"})},
             "aws-iam-role-disallow-public-trust"),
    Mutation("iam-firehose-trust-without-source-account", ROLE, {"assumeRolePolicy": doc({
        "Effect": "Allow", "Principal": {"Service": "firehose.amazonaws.com"}, "Action": "sts:AssumeRole"})},
             "aws-iam-role-configure-trust-source-condition", has("firehose.amazonaws.com")),
    Mutation("iam-administrator-access", ROLE, {"managedPolicyArns": [
        "arn:aws:iam::aws:policy/AdministratorAccess"]}, "aws-iam-role-disallow-admin-managed-policy"),
    Mutation("kms-rotation-off", KEY, {"enableKeyRotation": False}, "aws-kms-key-enable-rotation"),
    Mutation("kms-seven-day-deletion-window", KEY, {"deletionWindowInDays": 7}, "aws-kms-key-configure-deletion-window"),
    Mutation("kms-public-key-policy", KEY, {"policy": STAR}, "aws-kms-key-disallow-public-principal"),
    Mutation("lambda-drop-xray", FN, {"tracingConfig": DELETE}, "aws-lambda-function-enable-tracing"),
    Mutation("lambda-downgrade-runtime", FN, {"runtime": "python3.12"}, "aws-lambda-function-enforce-allowed-runtime"),
    Mutation("lambda-drop-dlq", FN, {"deadLetterConfig": DELETE}, "aws-lambda-function-enable-dead-letter-queue"),
    Mutation("lambda-x86", FN, {"architectures": ["x86_64"]}, "aws-lambda-function-enable-arm64"),
    Mutation("lambda-literal-secret", FN, {"environment.variables.PARTNER_API_KEY": "sk_live_123"},
             "aws-resource-input-disallow-secret-values"),
    Mutation("lambda-env-without-key", FN, {"kmsKeyArn": DELETE}, "aws-lambda-function-enable-environment-encryption"),
    Mutation("lambda-implicit-log-group", FN, {"loggingConfig.logGroup": "/aws/lambda/other"},
             "aws-lambda-function-configure-log-retention"),
    Mutation("lambda-permission-principal-star", PERM, {"principal": "*", "sourceArn": DELETE},
             "aws-lambda-permission-disallow-public-principal"),
    Mutation("lambda-permission-without-source-arn", PERM, {"sourceArn": DELETE},
             "aws-lambda-permission-configure-source-arn"),
    Mutation("logs-drop-retention", LG, {"retentionInDays": DELETE}, "aws-cloudwatch-log-group-configure-retention"),
    Mutation("logs-retention-ten-years", LG, {"retentionInDays": 3653}, "aws-cloudwatch-log-group-configure-maximum-retention"),
    Mutation("logs-drop-kms", LG, {"kmsKeyId": DELETE}, "aws-cloudwatch-log-group-enable-kms-encryption"),
    Mutation("dynamodb-drop-pitr", TBL, {"pointInTimeRecovery": DELETE}, "aws-dynamodb-table-enable-point-in-time-recovery"),
    Mutation("dynamodb-aws-owned-key", TBL, {"serverSideEncryption": DELETE}, "aws-dynamodb-table-enable-kms-encryption"),
    Mutation("dynamodb-deletion-protection-off", TBL, {"deletionProtectionEnabled": False},
             "aws-dynamodb-table-enable-deletion-protection"),
    Mutation("dynamodb-provisioned-without-autoscaling", TBL, {"billingMode": "PROVISIONED"},
             "aws-dynamodb-table-configure-capacity"),
    Mutation("athena-drop-enforcement", WG, {"configuration.enforceWorkgroupConfiguration": False},
             "aws-athena-workgroup-enforce-workgroup-configuration"),
    Mutation("athena-results-sse-s3", WG, {"configuration.resultConfiguration.encryptionConfiguration": {
        "encryptionOption": "SSE_S3"}}, "aws-athena-workgroup-enable-result-encryption"),
    Mutation("athena-drop-bytes-cutoff", WG, {"configuration.bytesScannedCutoffPerQuery": DELETE},
             "aws-athena-workgroup-configure-bytes-scanned-cutoff"),
    Mutation("athena-metrics-off", WG, {"configuration.publishCloudwatchMetricsEnabled": False},
             "aws-athena-workgroup-enable-cloudwatch-metrics"),
    Mutation("firehose-aws-owned-key", FH, {"serverSideEncryption.keyType": "AWS_OWNED_CMK"},
             "aws-kinesis-firehose-delivery-stream-enable-kms-encryption"),
    Mutation("firehose-no-error-prefix", FH, {"extendedS3Configuration.errorOutputPrefix": DELETE},
             "aws-kinesis-firehose-delivery-stream-enable-error-logging"),
    Mutation("firehose-tiny-buffer", FH, {"extendedS3Configuration.bufferingSize": 1},
             "aws-kinesis-firehose-delivery-stream-configure-buffering"),
    Mutation("firehose-no-parquet", FH, {"extendedS3Configuration.dataFormatConversionConfiguration": DELETE},
             "aws-kinesis-firehose-delivery-stream-enable-parquet-conversion"),
    Mutation("glue-table-as-json", CT, {"storageDescriptor.inputFormat": "org.apache.hadoop.mapred.TextInputFormat",
                                        "storageDescriptor.serDeInfo.serializationLibrary": "org.openx.data.jsonserde.JsonSerDe"},
             "aws-glue-catalog-table-enforce-columnar-format", EXTERNAL),
    Mutation("glue-table-without-projection", CT, {"parameters": {"classification": "parquet"}},
             "aws-glue-catalog-table-enable-partition-projection", has("projection.enabled")),
    Mutation("apigw-drop-access-logs", "aws:apigatewayv2/stage:Stage", {"accessLogSettings": DELETE},
             "aws-apigatewayv2-stage-enable-access-logging"),
    Mutation("apigw-drop-throttling", "aws:apigatewayv2/stage:Stage", {"defaultRouteSettings": DELETE},
             "aws-apigatewayv2-stage-configure-throttling"),
    Mutation("apigw-new-unauthenticated-route", "aws:apigatewayv2/route:Route", {"routeKey": "DELETE /api/admin"},
             "aws-apigatewayv2-route-enforce-authorization"),
    Mutation("cloudfront-allow-http", CF, {"defaultCacheBehavior.viewerProtocolPolicy": "allow-all"},
             "aws-cloudfront-distribution-enforce-https-viewer"),
    Mutation("cloudfront-drop-waf", CF, {"webAclId": DELETE}, "aws-cloudfront-distribution-enable-waf"),
    Mutation("cloudfront-drop-oac", CF, {"origins.0.originAccessControlId": DELETE},
             "aws-cloudfront-distribution-enforce-origin-access-control"),
    Mutation("cloudfront-drop-security-headers", CF, {"defaultCacheBehavior.responseHeadersPolicyId": DELETE},
             "aws-cloudfront-distribution-configure-response-headers-policy"),
    Mutation("cloudfront-no-compression", CF, {"defaultCacheBehavior.compress": False},
             "aws-cloudfront-distribution-enable-compression"),
    Mutation("cloudfront-drop-log-delivery", "aws:cloudwatch/logDeliverySource:LogDeliverySource", REMOVE,
             "aws-cloudfront-distribution-enable-access-logging"),
    Mutation("waf-drop-rate-rule", ACL, {"rules": []}, "aws-wafv2-web-acl-configure-rate-based-rule"),
    Mutation("waf-drop-logging", "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration", REMOVE,
             "aws-wafv2-web-acl-enable-logging"),
    Mutation("waf-metrics-off", ACL, {"visibilityConfig.cloudwatchMetricsEnabled": False},
             "aws-wafv2-web-acl-enable-metrics"),
    Mutation("sns-drop-kms", "aws:sns/topic:Topic", {"kmsMasterKeyId": DELETE}, "aws-sns-topic-enable-kms-encryption"),
    Mutation("sns-public-topic-policy", "aws:sns/topicPolicy:TopicPolicy", {"policy": STAR},
             "aws-sns-topic-disallow-public-policy"),
    Mutation("sqs-drop-kms", "aws:sqs/queue:Queue", {"kmsMasterKeyId": DELETE}, "aws-sqs-queue-enable-kms-encryption"),
    Mutation("sqs-public-queue-policy", "aws:sqs/queuePolicy:QueuePolicy", {"policy": STAR},
             "aws-sqs-queue-disallow-public-policy"),
    Mutation("sqs-add-work-queue-without-redrive", "aws:sqs/queue:Queue", ("add", {"redrivePolicy": DELETE}),
             "aws-sqs-queue-configure-redrive"),
    Mutation("events-target-drop-dlq", "aws:cloudwatch/eventTarget:EventTarget", {"deadLetterConfig": DELETE},
             "aws-cloudwatch-event-target-enable-dead-letter-queue"),
    Mutation("ses-tls-optional", CS, {"deliveryOptions.tlsPolicy": "OPTIONAL"}, "aws-sesv2-configuration-set-enforce-tls"),
    Mutation("ses-stop-suppressing-complaints", CS, {"suppressionOptions.suppressedReasons": ["BOUNCE"]},
             "aws-sesv2-configuration-set-configure-suppression"),
    Mutation("ses-reputation-metrics-off", CS, {"reputationOptions.reputationMetricsEnabled": False},
             "aws-sesv2-configuration-set-enable-reputation-metrics"),
    Mutation("secret-aws-managed-key", "aws:secretsmanager/secret:Secret", {"kmsKeyId": DELETE},
             "aws-secretsmanager-secret-enable-kms-encryption"),
    Mutation("secret-drop-rotation", "aws:secretsmanager/secretRotation:SecretRotation", REMOVE,
             "aws-secretsmanager-secret-enable-rotation"),
    Mutation("pinpoint-add-email-channel", "aws:pinpoint/emailChannel:EmailChannel", ("add", {}),
             "aws-pinpoint-app-disallow-retired-features"),
    Mutation("sfn-add-state-machine-without-logging", "aws:sfn/stateMachine:StateMachine",
             ("add", {"loggingConfiguration": DELETE}), "aws-sfn-state-machine-enable-logging"),
    Mutation("kinesis-add-unencrypted-stream", "aws:kinesis/stream:Stream", ("add", {"encryptionType": "NONE"}),
             "aws-kinesis-stream-enable-kms-encryption"),
    Mutation("lambda-add-public-function-url", "aws:lambda/functionUrl:FunctionUrl",
             ("add", {"authorizationType": "NONE"}), "aws-lambda-function-url-enforce-iam-auth"),
    Mutation("events-add-public-bus-policy", "aws:cloudwatch/eventBusPolicy:EventBusPolicy", ("add", {"policy": STAR}),
             "aws-cloudwatch-event-bus-policy-disallow-public-principal"),
    Mutation("sagemaker-add-model-with-network", "aws:sagemaker/model:Model", ("add", {"enableNetworkIsolation": False}),
             "aws-sagemaker-model-enable-network-isolation"),
    # Evasions (issue 14): the same flaws written the way literal matching missed them.
    Mutation("iam-not-action-in-role-policy", RP, {"policy": doc({"Effect": "Allow", "NotAction": "iam:*",
                                                                   "Resource": "*"})},
             "aws-iam-policy-disallow-wildcard-actions"),
    Mutation("s3-bucket-policy-public-read-over-tls", "aws:s3/bucketPolicy:BucketPolicy", {"policy": doc(
        {"Sid": "Open", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*",
         "Condition": {"Bool": {"aws:SecureTransport": "true"}}})}, "aws-s3-bucket-disallow-public-policy"),
    Mutation("ses-tracking-links-over-http", CS, {"trackingOptions": {"customRedirectDomain": "click.example.com",
                                                                      "httpsPolicy": "OPTIONAL"}},
             "aws-sesv2-configuration-set-enforce-tls"),
    Mutation("lambda-credentials-in-a-url", FN, {"environment.variables.DATABASE_URL":
                                                 "postgres://app:Wq8vT3rLz@db.internal:5432/app"},
             "aws-resource-input-disallow-secret-values"),
    Mutation("kms-key-policy-partner-kms-star", KEY, {"policy": doc(
        {"Sid": "Partner", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::210987654321:root"},
         "Action": "kms:*", "Resource": "*"})}, "aws-iam-resource-policy-disallow-cross-account-broad-access"),
    Mutation("iam-github-trust-without-subject", ROLE, {"assumeRolePolicy": doc({
        "Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}})},
             "aws-iam-role-configure-web-identity-subject"),
    *ENGAGEMENT_MUTATIONS,
    Mutation("sagemaker-add-model-on-latest-image", "aws:sagemaker/model:Model", ("add", {
        "primaryContainer.image": "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:latest"}),
             "aws-sagemaker-model-disallow-latest-image"),
    Mutation("sfn-log-execution-data", SM, {"loggingConfiguration.includeExecutionData": True},
             "aws-sfn-state-machine-disable-execution-data-logging", PIPELINE),
    Mutation("sfn-drop-execution-timeout", SM, in_definition(lambda d: d.pop("TimeoutSeconds")),
             "aws-sfn-state-machine-configure-timeout", PIPELINE),
    Mutation("sfn-drop-task-retry", SM, in_definition(lambda d: d["States"]["Prepare"].pop("Retry")),
             "aws-sfn-state-machine-enable-task-retry", PIPELINE),
    Mutation("transform-output-unencrypted", SM, in_definition(
        lambda d: d["States"]["Transform"]["Parameters"]["TransformOutput"].pop("KmsKeyId")),
             "aws-sagemaker-transform-job-enable-kms-encryption", PIPELINE),
    Mutation("training-volume-unencrypted", SM, in_definition(
        lambda d: d["States"]["Train"]["Parameters"]["ResourceConfig"].pop("VolumeKmsKeyId")),
             "aws-sagemaker-training-job-enable-kms-encryption", PIPELINE),
    Mutation("training-with-network", SM, in_definition(
        lambda d: d["States"]["Train"]["Parameters"].update(EnableNetworkIsolation=False)),
             "aws-sagemaker-training-job-enable-network-isolation", PIPELINE),
    Mutation("training-without-time-limit", SM, in_definition(
        lambda d: d["States"]["Train"]["Parameters"].pop("StoppingCondition")),
             "aws-sagemaker-training-job-configure-stopping-condition", PIPELINE),
    Mutation("schedule-drop-dlq", SCHED, {"target.deadLetterConfig": DELETE},
             "aws-scheduler-schedule-enable-dead-letter-queue"),
    Mutation("schedule-default-retries", SCHED, {"target.retryPolicy": DELETE},
             "aws-scheduler-schedule-configure-retry-policy"),
    Mutation("schedule-aws-owned-key", SCHED, {"kmsKeyArn": DELETE}, "aws-scheduler-schedule-enable-kms-encryption"),
    Mutation("profiles-aws-owned-key", PROFILES, {"defaultEncryptionKey": DELETE},
             "aws-customerprofiles-domain-enable-kms-encryption"),
    Mutation("profiles-drop-dlq", PROFILES, {"deadLetterQueueUrl": DELETE},
             "aws-customerprofiles-domain-enable-dead-letter-queue"),
    Mutation("profiles-keep-forever", PROFILES, {"defaultExpirationDays": DELETE},
             "aws-customerprofiles-domain-configure-expiration"),
]


def _struct(values: dict[str, Any]) -> struct_pb2.Struct:
    return json_format.ParseDict(values, struct_pb2.Struct())


def apply(recording: Recording, mutation: Mutation) -> Recording:
    registrations = list(recording.registrations)
    if isinstance(mutation.changes, tuple):  # add a minimal resource the program does not create yet
        props = changed(BASELINES[mutation.type], mutation.changes[1])
        urn = f"urn:pulumi:{recording.stack}::{recording.project}::{mutation.type}::mutant"
        registrations.append(Registration(urn=urn, type=mutation.type, name="mutant", custom=True, parent="",
                                          dependencies=[], property_dependencies={}, protect=False, inputs=props,
                                          inputs_struct=_struct(props), state_struct=_struct(props), state=props))
        return dataclasses.replace(recording, registrations=registrations)
    index = next(i for i, r in enumerate(registrations) if r.type == mutation.type
                 and mutation.select(json_format.MessageToDict(r.state_struct)))
    if mutation.changes is REMOVE:
        del registrations[index]
    else:
        old = registrations[index]
        changes = mutation.changes
        if callable(changes):
            changes = changes(json_format.MessageToDict(old.inputs_struct))
        inputs = changed(json_format.MessageToDict(old.inputs_struct), changes)
        state = changed(json_format.MessageToDict(old.state_struct), changes)
        registrations[index] = dataclasses.replace(old, inputs=inputs, state=state, inputs_struct=_struct(inputs),
                                                   state_struct=_struct(state))
    return dataclasses.replace(recording, registrations=registrations)


CAUGHT: dict[str, bool] = {}


@pytest.fixture(scope="module")
def prod_config() -> dict[str, Any]:
    return policy_config("prod")


def test_unmutated_prod_recording_has_no_mandatory_violation(pack, prod_recording, prod_config):
    from tools.harness.policy_runner import run_pack

    assert run_pack(pack, prod_recording, prod_config).mandatory == []


@pytest.mark.parametrize("mutation", MUTATIONS, ids=[m.id for m in MUTATIONS])
def test_mutation_is_caught_as_mandatory(mutation, pack, prod_recording, prod_config):
    from tools.harness.policy_runner import run_pack

    report = run_pack(pack, apply(prod_recording, mutation), prod_config)
    caught = [f for f in report.mandatory if f.policy == mutation.expected]
    CAUGHT[mutation.id] = bool(caught)
    assert caught, f"{mutation.id}: expected {mutation.expected}, got {[(f.policy, f.level) for f in report.findings]}"


def test_mutation_score(capsys):
    # Runs after the parametrized cases (pytest keeps file order); prints the score for the report.
    if len(CAUGHT) < len(MUTATIONS):
        pytest.fail("run the whole module to compute the mutation score")
    score = sum(CAUGHT.values()) / len(MUTATIONS)
    with capsys.disabled():
        print(f"\nmutation score: {sum(CAUGHT.values())}/{len(MUTATIONS)} = {score:.0%}")
    assert len(MUTATIONS) >= 30 and score == 1.0
