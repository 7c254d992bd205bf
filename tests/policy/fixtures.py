"""One compliant baseline per resource type (camelCase inputs, numbers as floats, documents as JSON strings).

Tests change one field per case: `make_resource(TYPE, {"dotted.path": value})`; `DELETE` removes the field.
"""
from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Any

ACCOUNT = "123456789012"
KEY_ARN = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/0000-test"
QUEUE_ARN = f"arn:aws:sqs:us-east-1:{ACCOUNT}:fn-dlq"
LOG_ARN = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/engagement/test/lambda/fn"
BUCKET_ARN = "arn:aws:s3:::data-bucket"
SECRET_ARN = f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:signing-Ab12Cd"
DELETE = object()


def doc(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


FIREHOSE_TRUST = doc({"Effect": "Allow", "Principal": {"Service": "firehose.amazonaws.com"},
                      "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}}})
PARQUET_INPUT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
PARQUET_SERDE = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
BEHAVIOR = {"targetOriginId": "site", "viewerProtocolPolicy": "redirect-to-https", "compress": True,
            "cachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6",
            "responseHeadersPolicyId": "67f7725c-6f97-4210-82d7-5512b31e9d03",
            "allowedMethods": ["GET", "HEAD"], "cachedMethods": ["GET", "HEAD"]}
VISIBILITY = {"cloudwatchMetricsEnabled": True, "sampledRequestsEnabled": True, "metricName": "m"}

TRAINING_PARAMETERS = {
    "TrainingJobName.$": "$.plan.training_job", "RoleArn": f"arn:aws:iam::{ACCOUNT}:role/training",
    "AlgorithmSpecification": {"TrainingImage": "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:3.0-5",
                               "TrainingInputMode": "File"},
    "OutputDataConfig": {"S3OutputPath": "s3://data-bucket/models/", "KmsKeyId": KEY_ARN},
    "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 10, "VolumeKmsKeyId": KEY_ARN},
    "StoppingCondition": {"MaxRuntimeInSeconds": 3600}, "EnableNetworkIsolation": True}
TRANSFORM_PARAMETERS = {
    "TransformJobName.$": "$.plan.transform_job", "ModelName": "churn",
    "TransformInput": {"DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri.$": "$.plan.features"}}},
    "TransformOutput": {"S3OutputPath.$": "$.plan.scores", "KmsKeyId": KEY_ARN},
    "TransformResources": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeKmsKeyId": KEY_ARN}}
RETRY = [{"ErrorEquals": ["States.Timeout"], "MaxAttempts": 3, "BackoffRate": 2.0}]
STATE_MACHINE_DEFINITION = json.dumps({"StartAt": "Train", "TimeoutSeconds": 21600, "States": {
    "Train": {"Type": "Task", "Resource": "arn:aws:states:::sagemaker:createTrainingJob", "Parameters": TRAINING_PARAMETERS,
              "TimeoutSeconds": 60, "Retry": RETRY, "Next": "Score"},
    "Score": {"Type": "Task", "Resource": "arn:aws:states:::sagemaker:createTransformJob",
              "Parameters": TRANSFORM_PARAMETERS, "TimeoutSeconds": 60, "Retry": RETRY, "End": True}}})

BASELINES: dict[str, dict[str, Any]] = {
    "aws:lambda/function:Function": {
        "name": "fn", "arn": f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:fn", "runtime": "python3.13",
        "architectures": ["arm64"], "memorySize": 256.0, "timeout": 30.0, "handler": "fn.handler.lambda_handler",
        "role": f"arn:aws:iam::{ACCOUNT}:role/fn-role", "tracingConfig": {"mode": "Active"},
        "deadLetterConfig": {"targetArn": QUEUE_ARN}, "kmsKeyArn": KEY_ARN,
        "environment": {"variables": {"POWERTOOLS_SERVICE_NAME": "fn", "SIGNING_SECRET_ARN": SECRET_ARN}},
        "loggingConfig": {"logFormat": "JSON", "logGroup": "/engagement/test/lambda/fn"}},
    "aws:cloudwatch/logGroup:LogGroup": {
        "name": "/engagement/test/lambda/fn", "arn": LOG_ARN, "retentionInDays": 30.0, "kmsKeyId": KEY_ARN},
    "aws:lambda/permission:Permission": {
        "action": "lambda:InvokeFunction", "function": "fn", "principal": "apigateway.amazonaws.com",
        "sourceArn": f"arn:aws:execute-api:us-east-1:{ACCOUNT}:abc123/*"},
    "aws:lambda/functionUrl:FunctionUrl": {
        "functionName": "fn", "authorizationType": "AWS_IAM",
        "cors": {"allowOrigins": ["https://preferences.example.com"], "allowMethods": ["GET"]}},
    "aws:iam/role:Role": {
        "name": "firehose-role", "arn": f"arn:aws:iam::{ACCOUNT}:role/firehose-role",
        "assumeRolePolicy": FIREHOSE_TRUST, "managedPolicyArns": []},
    "aws:iam/rolePolicy:RolePolicy": {
        "role": "fn-role", "policy": doc(
            {"Sid": "Data", "Effect": "Allow", "Action": ["s3:PutObject"], "Resource": [f"{BUCKET_ARN}/*"]},
            {"Sid": "XRay", "Effect": "Allow", "Action": ["xray:PutTraceSegments"], "Resource": ["*"]},
            {"Sid": "PassOwnRole", "Effect": "Allow", "Action": "iam:PassRole",
             "Resource": f"arn:aws:iam::{ACCOUNT}:role/firehose-role"})},
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
        "role": "fn-role", "policyArn": "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"},
    "aws:kms/key:Key": {
        "arn": KEY_ARN, "enableKeyRotation": True, "deletionWindowInDays": 30.0, "policy": doc(
            {"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
             "Action": "kms:*", "Resource": "*"},
            {"Sid": "Services", "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
             "Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Resource": "*",
             "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}}})},
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": {
        "name": "events", "destination": "extended_s3",
        "serverSideEncryption": {"enabled": True, "keyType": "CUSTOMER_MANAGED_CMK", "keyArn": KEY_ARN},
        "extendedS3Configuration": {
            "bucketArn": BUCKET_ARN, "roleArn": f"arn:aws:iam::{ACCOUNT}:role/firehose-role", "kmsKeyArn": KEY_ARN,
            "prefix": "events/channel=!{partitionKeyFromLambda:channel}/dt=!{partitionKeyFromLambda:dt}/"
                      "hour=!{partitionKeyFromLambda:hour}/",
            "errorOutputPrefix": "errors/!{firehose:error-output-type}/", "bufferingSize": 64.0,
            "bufferingInterval": 60.0, "compressionFormat": "UNCOMPRESSED",
            "cloudwatchLoggingOptions": {"enabled": True, "logGroupName": "/firehose", "logStreamName": "d"},
            "dynamicPartitioningConfiguration": {"enabled": True, "retryDuration": 300.0},
            "dataFormatConversionConfiguration": {
                "enabled": True, "outputFormatConfiguration": {"serializer": {"parquetSerDe": {"compression": "SNAPPY"}}},
                "schemaConfiguration": {"databaseName": "db", "tableName": "all_events"}}}},
    "aws:kinesis/stream:Stream": {"name": "s", "encryptionType": "KMS", "kmsKeyId": KEY_ARN},
    "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings": {"dataCatalogEncryptionSettings": {
        "encryptionAtRest": {"catalogEncryptionMode": "SSE-KMS", "sseAwsKmsKeyId": KEY_ARN},
        "connectionPasswordEncryption": {"returnConnectionPasswordEncrypted": True, "awsKmsKeyId": KEY_ARN}}},
    "aws:glue/securityConfiguration:SecurityConfiguration": {"name": "sc", "encryptionConfiguration": {
        "s3Encryption": {"s3EncryptionMode": "SSE-KMS", "kmsKeyArn": KEY_ARN},
        "cloudwatchEncryption": {"cloudwatchEncryptionMode": "SSE-KMS", "kmsKeyArn": KEY_ARN},
        "jobBookmarksEncryption": {"jobBookmarksEncryptionMode": "CSE-KMS", "kmsKeyArn": KEY_ARN}}},
    "aws:glue/catalogTable:CatalogTable": {
        "name": "all_events", "databaseName": "db", "tableType": "EXTERNAL_TABLE",
        "partitionKeys": [{"name": "channel", "type": "string"}, {"name": "dt", "type": "string"}],
        "parameters": {"projection.enabled": "true", "projection.channel.type": "enum",
                       "projection.dt.type": "date"},
        "storageDescriptor": {"location": "s3://data-bucket/events/", "inputFormat": PARQUET_INPUT,
                              "serDeInfo": {"serializationLibrary": PARQUET_SERDE}}},
    "aws:athena/workgroup:Workgroup": {"name": "wg", "configuration": {
        "enforceWorkgroupConfiguration": True, "publishCloudwatchMetricsEnabled": True,
        "bytesScannedCutoffPerQuery": 10737418240.0,
        "resultConfiguration": {"outputLocation": "s3://data-bucket/athena/",
                                "encryptionConfiguration": {"encryptionOption": "SSE_KMS", "kmsKeyArn": KEY_ARN}}}},
    "aws:dynamodb/table:Table": {
        "name": "prefs", "arn": f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/prefs", "billingMode": "PAY_PER_REQUEST",
        "hashKey": "pk", "pointInTimeRecovery": {"enabled": True},
        "serverSideEncryption": {"enabled": True, "kmsKeyArn": KEY_ARN}, "deletionProtectionEnabled": True},
    "aws:appautoscaling/target:Target": {
        "resourceId": "table/prefs", "scalableDimension": "dynamodb:table:ReadCapacityUnits",
        "serviceNamespace": "dynamodb", "minCapacity": 1.0, "maxCapacity": 10.0},
    "aws:apigatewayv2/stage:Stage": {
        "apiId": "abc123", "name": "$default", "autoDeploy": True,
        "accessLogSettings": {"destinationArn": LOG_ARN, "format": '{"requestId":"$context.requestId"}'},
        "defaultRouteSettings": {"throttlingBurstLimit": 100.0, "throttlingRateLimit": 50.0}},
    "aws:apigatewayv2/route:Route": {
        "apiId": "abc123", "routeKey": "GET /preferences", "authorizationType": "JWT", "authorizerId": "auth1"},
    "aws:cloudfront/distribution:Distribution": {
        "arn": f"arn:aws:cloudfront::{ACCOUNT}:distribution/E123", "enabled": True,
        "webAclId": f"arn:aws:wafv2:us-east-1:{ACCOUNT}:global/webacl/acl/1",
        "origins": [{"originId": "site", "domainName": "site-bucket.s3.us-east-1.amazonaws.com",
                     "originAccessControlId": "oac1"}],
        "defaultCacheBehavior": dict(BEHAVIOR),
        "orderedCacheBehaviors": [{**BEHAVIOR, "pathPattern": "/api/*"}],
        "viewerCertificate": {"acmCertificateArn": f"arn:aws:acm:us-east-1:{ACCOUNT}:certificate/c",
                              "minimumProtocolVersion": "TLSv1.2_2021", "sslSupportMethod": "sni-only"},
        "loggingConfig": {"bucket": "logs-bucket.s3.amazonaws.com", "prefix": "cloudfront/"}},
    "aws:cloudwatch/logDeliverySource:LogDeliverySource": {
        "name": "cf-logs", "logType": "ACCESS_LOGS", "resourceArn": f"arn:aws:cloudfront::{ACCOUNT}:distribution/E123"},
    "aws:wafv2/webAcl:WebAcl": {
        "name": "acl", "scope": "CLOUDFRONT", "defaultAction": {"allow": {}}, "visibilityConfig": dict(VISIBILITY),
        "rules": [{"name": "rate-limit", "priority": 0.0, "action": {"block": {}},
                   "statement": {"rateBasedStatement": {"limit": 500.0, "aggregateKeyType": "IP"}},
                   "visibilityConfig": dict(VISIBILITY)}]},
    "aws:sns/topic:Topic": {"name": "alarms", "arn": f"arn:aws:sns:us-east-1:{ACCOUNT}:alarms", "kmsMasterKeyId": KEY_ARN},
    "aws:sns/topicPolicy:TopicPolicy": {"arn": f"arn:aws:sns:us-east-1:{ACCOUNT}:alarms", "policy": doc(
        {"Sid": "Alarms", "Effect": "Allow", "Principal": {"Service": "cloudwatch.amazonaws.com"},
         "Action": "sns:Publish", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}}})},
    "aws:sqs/queue:Queue": {
        "name": "work", "arn": f"arn:aws:sqs:us-east-1:{ACCOUNT}:work", "kmsMasterKeyId": KEY_ARN,
        "redrivePolicy": json.dumps({"deadLetterTargetArn": QUEUE_ARN, "maxReceiveCount": 5})},
    "aws:sqs/queuePolicy:QueuePolicy": {"queueUrl": "https://sqs/work", "policy": doc(
        {"Sid": "Events", "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
         "Action": "sqs:SendMessage", "Resource": "*",
         "Condition": {"ArnEquals": {"aws:SourceArn": f"arn:aws:events:us-east-1:{ACCOUNT}:rule/r"}}})},
    "aws:sfn/stateMachine:StateMachine": {
        "name": "sm", "definition": STATE_MACHINE_DEFINITION, "roleArn": f"arn:aws:iam::{ACCOUNT}:role/sm",
        "loggingConfiguration": {"level": "ERROR", "includeExecutionData": False, "logDestination": f"{LOG_ARN}:*"},
        "tracingConfiguration": {"enabled": True},
        "encryptionConfiguration": {"type": "CUSTOMER_MANAGED_KMS_KEY", "kmsKeyId": KEY_ARN}},
    "aws:sagemaker/notebookInstance:NotebookInstance": {
        "instanceType": "ml.t3.medium", "roleArn": f"arn:aws:iam::{ACCOUNT}:role/nb", "subnetId": "subnet-1",
        "securityGroups": ["sg-1"], "directInternetAccess": "Disabled", "rootAccess": "Disabled", "kmsKeyId": KEY_ARN},
    "aws:sagemaker/endpointConfiguration:EndpointConfiguration": {
        "kmsKeyArn": KEY_ARN, "productionVariants": [{"modelName": "m", "variantName": "v"}]},
    "aws:sagemaker/model:Model": {"executionRoleArn": f"arn:aws:iam::{ACCOUNT}:role/m", "enableNetworkIsolation": True,
                                  "primaryContainer": {"image": TRAINING_PARAMETERS["AlgorithmSpecification"]["TrainingImage"],
                                                       "modelDataUrl": "s3://data-bucket/models/current/model.tar.gz"}},
    "aws:sagemaker/trainingJob:TrainingJob": {
        "roleArn": f"arn:aws:iam::{ACCOUNT}:role/training", "enableNetworkIsolation": True,
        "outputDataConfig": {"s3OutputPath": "s3://data-bucket/models/", "kmsKeyId": KEY_ARN},
        "resourceConfig": {"instanceType": "ml.m5.xlarge", "instanceCount": 1.0, "volumeSizeInGb": 10.0,
                           "volumeKmsKeyId": KEY_ARN},
        "stoppingCondition": {"maxRuntimeInSeconds": 3600.0}},
    "aws:scheduler/schedule:Schedule": {
        "name": "daily", "scheduleExpression": "cron(0 3 * * ? *)", "kmsKeyArn": KEY_ARN,
        "flexibleTimeWindow": {"mode": "OFF"}, "target": {
            "arn": f"arn:aws:states:us-east-1:{ACCOUNT}:stateMachine:sm", "roleArn": f"arn:aws:iam::{ACCOUNT}:role/sched",
            "retryPolicy": {"maximumRetryAttempts": 3.0, "maximumEventAgeInSeconds": 3600.0},
            "deadLetterConfig": {"arn": QUEUE_ARN}}},
    "aws:customerprofiles/domain:Domain": {
        "domainName": "engagement", "defaultEncryptionKey": KEY_ARN, "defaultExpirationDays": 365.0,
        "deadLetterQueueUrl": f"https://sqs.us-east-1.amazonaws.com/{ACCOUNT}/profiles-dlq"},
    "aws:sesv2/configurationSet:ConfigurationSet": {
        "configurationSetName": "engagement", "deliveryOptions": {"tlsPolicy": "REQUIRE"},
        "reputationOptions": {"reputationMetricsEnabled": True},
        "suppressionOptions": {"suppressedReasons": ["BOUNCE", "COMPLAINT"]}},
    "aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination": {
        "configurationSetName": "engagement", "eventDestinationName": "to-firehose",
        "eventDestination": {"enabled": True, "matchingEventTypes": ["SEND", "DELIVERY", "BOUNCE", "COMPLAINT"]}},
    "aws:secretsmanager/secret:Secret": {"name": "signing", "arn": SECRET_ARN, "kmsKeyId": KEY_ARN},
    "aws:secretsmanager/secretRotation:SecretRotation": {
        "secretId": SECRET_ARN, "rotationLambdaArn": f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:rotate",
        "rotationRules": {"automaticallyAfterDays": 30.0}},
    "aws:cloudwatch/eventTarget:EventTarget": {
        "rule": "r", "arn": f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:fn", "deadLetterConfig": {"arn": QUEUE_ARN}},
    "aws:cloudwatch/eventBusPolicy:EventBusPolicy": {"eventBusName": "bus", "policy": doc(
        {"Sid": "Org", "Effect": "Allow", "Principal": "*", "Action": "events:PutEvents", "Resource": "*",
         "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}})},
    "aws:pinpoint/app:App": {"name": "push-only"},
    "aws:pinpoint/emailChannel:EmailChannel": {"applicationId": "app", "fromAddress": "a@example.com",
                                               "identity": "arn:aws:ses:::identity/example.com"},
    "aws:pinpoint/smsvoicev2ConfigurationSet:Smsvoicev2ConfigurationSet": {"name": "sms"},
    "aws:s3/bucket:Bucket": {"bucket": "data-bucket", "arn": BUCKET_ARN, "id": "data-bucket"},
    "aws:s3/bucketPolicy:BucketPolicy": {"bucket": "data-bucket", "policy": doc(
        {"Sid": "DenyRequestsWithoutTls", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
         "Resource": [BUCKET_ARN, f"{BUCKET_ARN}/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
        {"Sid": "CloudFrontOriginAccessControl", "Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"},
         "Action": "s3:GetObject", "Resource": f"{BUCKET_ARN}/*",
         "Condition": {"StringEquals": {"AWS:SourceArn": f"arn:aws:cloudfront::{ACCOUNT}:distribution/E123"}}})},
    "aws:secretsmanager/secretPolicy:SecretPolicy": {"secretArn": SECRET_ARN, "policy": doc(
        {"Sid": "ApiReads", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/api"},
         "Action": "secretsmanager:GetSecretValue", "Resource": "*"})},
    "aws:apigatewayv2/api:Api": {
        "name": "http-api", "protocolType": "HTTP", "id": "abc123", "disableExecuteApiEndpoint": True,
        "apiEndpoint": "https://abc123.execute-api.us-east-1.amazonaws.com",
        "arn": "arn:aws:apigateway:us-east-1::/apis/abc123"},
}


@dataclass
class Res:
    type: str
    name: str
    props: dict[str, Any]
    deps: dict[str, list[str]] = field(default_factory=dict)
    """property -> names of the resources it depends on (becomes propertyDependencies)."""
    protect: bool = False


def changed(props: dict[str, Any], changes: dict[str, Any] | None) -> dict[str, Any]:
    result = copy.deepcopy(props)
    for path, value in (changes or {}).items():
        *parents, last = path.split(".")
        target: Any = result
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target.setdefault(part, {})
        if isinstance(target, list):
            target[int(last)] = value
        elif value is DELETE:
            target.pop(last, None)
        else:
            target[last] = value
    return result


def make_resource(resource_type: str, changes: dict[str, Any] | None = None, *, name: str | None = None,
                  deps: dict[str, list[str]] | None = None, props: dict[str, Any] | None = None,
                  protect: bool = False) -> Res:
    base = props if props is not None else BASELINES[resource_type]
    return Res(resource_type, name or resource_type.rsplit(":", 1)[-1].lower(), changed(base, changes), deps or {},
               protect)


S3_SIDE = {
    "sse": ("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", {"rules": [{
        "applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": KEY_ARN},
        "bucketKeyEnabled": True}]}),
    "pab": ("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", {
        "blockPublicAcls": True, "blockPublicPolicy": True, "ignorePublicAcls": True, "restrictPublicBuckets": True}),
    "versioning": ("aws:s3/bucketVersioning:BucketVersioning", {"versioningConfiguration": {"status": "Enabled"}}),
    "logging": ("aws:s3/bucketLogging:BucketLogging", {"targetBucket": "logs-bucket", "targetPrefix": "s3/data/"}),
    "lifecycle": ("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", {"rules": [
        {"id": "abort-incomplete-uploads", "status": "Enabled", "filter": {"prefix": ""},
         "abortIncompleteMultipartUpload": {"daysAfterInitiation": 7.0}},
        {"id": "expire", "status": "Enabled", "filter": {"prefix": ""}, "expiration": {"days": 90.0},
         "noncurrentVersionExpiration": {"noncurrentDays": 30.0}}]}),
    "ownership": ("aws:s3/bucketOwnershipControls:BucketOwnershipControls",
                  {"rule": {"objectOwnership": "BucketOwnerEnforced"}}),
    "policy": ("aws:s3/bucketPolicy:BucketPolicy", {"policy": doc(
        {"Sid": "DenyRequestsWithoutTls", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
         "Resource": [BUCKET_ARN, f"{BUCKET_ARN}/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}})}),
}


def bucket_stack(bucket: dict[str, Any] | None = None, **side: Any) -> list[Res]:
    """A compliant v7 bucket with every side resource; `side=changes` alters one, `side=DELETE` drops it."""
    resources = [make_resource("aws:s3/bucket:Bucket", bucket, name="data-bucket")]
    for key, (resource_type, props) in S3_SIDE.items():
        changes = side.get(key)
        if changes is DELETE:
            continue
        resources.append(make_resource(resource_type, changes, name=f"data-bucket-{key}", props={
            "bucket": "data-bucket", **props}, deps={"bucket": ["data-bucket"]}))
    return resources


def function_stack(function: dict[str, Any] | None = None, log_group: Any = None) -> list[Res]:
    """A function and the log group its loggingConfig names (dependency on loggingConfig, as Pulumi records)."""
    resources = [make_resource("aws:lambda/function:Function", function, name="fn",
                               deps={} if log_group is DELETE else {"loggingConfig": ["fn-logs"]})]
    if log_group is not DELETE:
        resources.append(make_resource("aws:cloudwatch/logGroup:LogGroup", log_group, name="fn-logs"))
    return resources


# pulumi-aws-native types (Personalize, Customer Profiles object types) and Lambda event source mappings.
PERSONALIZE_ARN = f"arn:aws:personalize:us-east-1:{ACCOUNT}"
BASELINES.update({
    "aws-native:personalize:DatasetGroup": {"name": "engagement", "kmsKeyArn": KEY_ARN,
                                            "roleArn": f"arn:aws:iam::{ACCOUNT}:role/personalize"},
    "aws-native:personalize:Dataset": {"name": "interactions", "datasetType": "Interactions",
                                       "datasetGroupArn": f"{PERSONALIZE_ARN}:dataset-group/engagement",
                                       "schemaArn": f"{PERSONALIZE_ARN}:schema/interactions"},
    "aws-native:personalize:Solution": {"name": "engagement", "datasetGroupArn": f"{PERSONALIZE_ARN}:dataset-group/e",
                                        "recipeArn": "arn:aws:personalize:::recipe/aws-user-personalization-v2",
                                        "performAutoTraining": False},
    "aws-native:personalize:Campaign": {"name": "engagement", "minProvisionedTps": 1,
                                        "solutionVersionArn": f"{PERSONALIZE_ARN}:solution/engagement/abc"},
    "aws-native:customerprofiles:ObjectType": {"domainName": "acme", "objectTypeName": "Recommendations",
                                               "expirationDays": 365, "allowProfileCreation": False},
    "aws:lambda/eventSourceMapping:EventSourceMapping": {
        "functionName": f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:fn", "batchSize": 100,
        "eventSourceArn": f"arn:aws:sqs:us-east-1:{ACCOUNT}:work", "functionResponseTypes": ["ReportBatchItemFailures"]},
})
