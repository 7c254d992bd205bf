"""Compliant building blocks for the corpus programs, written with plain pulumi-aws as a platform team would.

Every block passes the whole pack under the prod policy config; a corpus program composes the blocks it needs
and introduces exactly one flaw. (The project's own components are not used: the corpus checks the pack on
programs it did not shape.)
"""
from __future__ import annotations

import json
from typing import Any

import pulumi
import pulumi_aws as aws

ACCOUNT = aws.get_caller_identity().account_id
REGION = "us-east-1"
TAGS = {"environment": "prod", "project": "corpus", "owner": "platform-team"}
PROTECT = pulumi.ResourceOptions(protect=True)


def doc(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def key_policy(*extra: dict[str, Any]) -> str:
    return doc(
        {"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "kms:*",
         "Resource": "*"},
        {"Sid": "Logs", "Effect": "Allow", "Principal": {"Service": f"logs.{REGION}.amazonaws.com"},
         "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"], "Resource": "*",
         "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn":
                                   f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:*"}}}, *extra)


def key(name: str = "data", policy: str | None = None, **overrides: Any) -> aws.kms.Key:
    args = dict(description=f"{name} key", enable_key_rotation=True, deletion_window_in_days=30,
                policy=policy or key_policy(), tags=TAGS)
    return aws.kms.Key(f"{name}-key", **{**args, **overrides}, opts=PROTECT)


def log_group(name: str, kms: aws.kms.Key) -> aws.cloudwatch.LogGroup:
    return aws.cloudwatch.LogGroup(f"{name}-logs", name=f"/corpus/{name}", retention_in_days=365,
                                   kms_key_id=kms.arn, tags=TAGS)


def dead_letter_queue(name: str, kms: aws.kms.Key, **overrides: Any) -> aws.sqs.Queue:
    args = dict(name=f"{name}-dlq", kms_master_key_id=kms.arn, message_retention_seconds=1209600, tags=TAGS)
    return aws.sqs.Queue(f"{name}-dlq", **{**args, **overrides})


def queue(name: str, kms: aws.kms.Key, dlq: aws.sqs.Queue, **overrides: Any) -> aws.sqs.Queue:
    redrive = dlq.arn.apply(lambda arn: json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": 5}))
    args = dict(name=name, kms_master_key_id=kms.arn, message_retention_seconds=345600, redrive_policy=redrive,
                tags=TAGS)
    return aws.sqs.Queue(name, **{**args, **overrides})


def role(name: str, service: str, statements: list[dict[str, Any]] | pulumi.Output, trust: str | None = None,
         source_account: bool = True) -> aws.iam.Role:
    condition = {"Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}}} if source_account else {}
    trust = trust or doc({"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole",
                          **condition})
    created = aws.iam.Role(f"{name}-role", name=f"{name}-role", assume_role_policy=trust, tags=TAGS)
    document = pulumi.Output.from_input(statements).apply(lambda s: doc(*s))
    aws.iam.RolePolicy(f"{name}-policy", role=created.name, policy=document)
    return created


def function(name: str, kms: aws.kms.Key, environment: dict[str, str] | None = None,
             statements: list[Any] | None = None, **overrides: Any) -> aws.lambda_.Function:
    logs = log_group(f"lambda-{name}", kms)
    dlq = dead_letter_queue(f"lambda-{name}", kms)
    own = pulumi.Output.all(logs.arn, dlq.arn, kms.arn).apply(lambda a: [
        {"Sid": "Logs", "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
         "Resource": f"{a[0]}:*"},
        {"Sid": "XRay", "Effect": "Allow", "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
         "Resource": "*"},
        {"Sid": "Dlq", "Effect": "Allow", "Action": "sqs:SendMessage", "Resource": a[1]},
        {"Sid": "Key", "Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": a[2]}])
    extra = pulumi.Output.from_input(statements or [])
    policy = pulumi.Output.all(own, extra).apply(lambda parts: parts[0] + list(parts[1]))
    execution = role(f"lambda-{name}", "lambda.amazonaws.com", policy, source_account=False)
    args = dict(
        name=name, runtime="python3.13", architectures=["arm64"], handler="app.handler", memory_size=256,
        timeout=30, role=execution.arn, code=pulumi.AssetArchive({"app.py": pulumi.StringAsset(
            "def handler(event, context):\n    return event\n")}),
        tracing_config={"mode": "Active"}, dead_letter_config={"target_arn": dlq.arn}, kms_key_arn=kms.arn,
        environment={"variables": {"POWERTOOLS_SERVICE_NAME": name, **(environment or {})}},
        logging_config={"log_format": "JSON", "log_group": logs.name}, tags=TAGS)
    return aws.lambda_.Function(name, **{**args, **overrides})


def table(name: str, kms: aws.kms.Key, **overrides: Any) -> aws.dynamodb.Table:
    args = dict(name=name, billing_mode="PAY_PER_REQUEST", hash_key="pk", attributes=[{"name": "pk", "type": "S"}],
                point_in_time_recovery={"enabled": True}, server_side_encryption={"enabled": True,
                                                                                    "kms_key_arn": kms.arn},
                deletion_protection_enabled=True, tags=TAGS)
    return aws.dynamodb.Table(name, **{**args, **overrides}, opts=PROTECT)


def topic(name: str, kms: aws.kms.Key) -> aws.sns.Topic:
    return aws.sns.Topic(name, name=name, kms_master_key_id=kms.arn, tags=TAGS)


def tls_deny(bucket: aws.s3.Bucket) -> pulumi.Output:
    return bucket.arn.apply(lambda arn: {
        "Sid": "DenyWithoutTls", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
        "Resource": [arn, f"{arn}/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}})


def bucket(name: str, kms: aws.kms.Key | None, log_target: aws.s3.Bucket | None = None,
           statements: list[Any] | None = None) -> aws.s3.Bucket:
    """A private, encrypted, versioned bucket; without `log_target` it is the access-log bucket itself."""
    created = aws.s3.Bucket(name, bucket=name, tags=TAGS, opts=PROTECT)
    aws.s3.BucketOwnershipControls(f"{name}-ownership", bucket=created.id,
                                   rule={"object_ownership": "BucketOwnerEnforced"})
    aws.s3.BucketPublicAccessBlock(f"{name}-public-access", bucket=created.id, block_public_acls=True,
                                   block_public_policy=True, ignore_public_acls=True, restrict_public_buckets=True)
    default = {"sse_algorithm": "aws:kms", "kms_master_key_id": kms.arn} if kms else {"sse_algorithm": "AES256"}
    aws.s3.BucketServerSideEncryptionConfiguration(f"{name}-encryption", bucket=created.id, rules=[{
        "apply_server_side_encryption_by_default": default, "bucket_key_enabled": bool(kms)}])
    aws.s3.BucketVersioning(f"{name}-versioning", bucket=created.id,
                            versioning_configuration={"status": "Enabled"})
    aws.s3.BucketLifecycleConfiguration(f"{name}-lifecycle", bucket=created.id, rules=[
        {"id": "abort-uploads", "status": "Enabled", "filter": {"prefix": ""},
         "abort_incomplete_multipart_upload": {"days_after_initiation": 7}},
        {"id": "old-versions", "status": "Enabled", "filter": {"prefix": ""},
         "noncurrent_version_expiration": {"noncurrent_days": 30}}])
    own = [tls_deny(created)]
    if log_target is not None:
        aws.s3.BucketLogging(f"{name}-logging", bucket=created.id, target_bucket=log_target.id,
                             target_prefix=f"s3/{name}/")
    else:
        own.append(created.arn.apply(lambda arn: {
            "Sid": "AccessLogs", "Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"},
            "Action": "s3:PutObject", "Resource": f"{arn}/*",
            "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}}}))
    policy = pulumi.Output.all(*own, *(statements or [])).apply(lambda s: doc(*s))
    aws.s3.BucketPolicy(f"{name}-policy", bucket=created.id, policy=policy)
    return created


def web_acl(kms: aws.kms.Key, name: str = "edge", action: dict[str, Any] | None = None) -> aws.wafv2.WebAcl:
    """A web ACL with a rate rule, metrics and request logging (redacting the query string)."""
    visibility = {"cloudwatch_metrics_enabled": True, "sampled_requests_enabled": True, "metric_name": name}
    acl = aws.wafv2.WebAcl(name, scope="CLOUDFRONT", default_action={"allow": {}}, visibility_config=visibility,
                           rules=[{"name": "rate-limit", "priority": 0, "action": action or {"block": {}},
                                   "statement": {"rate_based_statement": {"limit": 500, "aggregate_key_type": "IP"}},
                                   "visibility_config": {**visibility, "metric_name": f"{name}-rate"}}], tags=TAGS)
    logs = aws.cloudwatch.LogGroup(f"{name}-waf-logs", name=f"aws-waf-logs-{name}", retention_in_days=365,
                                   kms_key_id=kms.arn, tags=TAGS)
    aws.wafv2.WebAclLoggingConfiguration(f"{name}-waf-logging", resource_arn=acl.arn,
                                         log_destination_configs=[logs.arn], redacted_fields=[{"query_string": {}}])
    return acl


HTTPS_ORIGIN = {"origin_protocol_policy": "https-only", "http_port": 80, "https_port": 443,
                "origin_ssl_protocols": ["TLSv1.2"]}


def distribution(name: str, domain: pulumi.Input[str], acl: aws.wafv2.WebAcl, kms: aws.kms.Key,
                 origin: dict[str, Any] | None = None) -> aws.cloudfront.Distribution:
    behavior = {"target_origin_id": "origin", "viewer_protocol_policy": "redirect-to-https", "compress": True,
                "allowed_methods": ["GET", "HEAD"], "cached_methods": ["GET", "HEAD"],
                "cache_policy_id": "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
                "response_headers_policy_id": "67f7725c-6f97-4210-82d7-5512b31e9d03"}
    created = aws.cloudfront.Distribution(
        name, enabled=True, web_acl_id=acl.arn, default_cache_behavior=behavior,
        origins=[{"origin_id": "origin", "domain_name": domain, "custom_origin_config": origin or HTTPS_ORIGIN}],
        restrictions={"geo_restriction": {"restriction_type": "none"}},
        viewer_certificate={"acm_certificate_arn": f"arn:aws:acm:us-east-1:{ACCOUNT}:certificate/corpus",
                            "minimum_protocol_version": "TLSv1.2_2021", "ssl_support_method": "sni-only"},
        aliases=["www.example.com"], tags=TAGS)
    logs = log_group(f"cdn-{name}", kms)
    source = aws.cloudwatch.LogDeliverySource(f"{name}-log-source", name=f"{name}-access", log_type="ACCESS_LOGS",
                                              resource_arn=created.arn)
    destination = aws.cloudwatch.LogDeliveryDestination(
        f"{name}-log-destination", name=f"{name}-access",
        delivery_destination_configuration={"destination_resource_arn": logs.arn}, tags=TAGS)
    aws.cloudwatch.LogDelivery(f"{name}-log-delivery", delivery_source_name=source.name,
                               delivery_destination_arn=destination.arn, tags=TAGS)
    return created


def state_machine(name: str, kms: aws.kms.Key, definition: str | None = None,
                  include_execution_data: bool = False) -> aws.sfn.StateMachine:
    logs = log_group(f"sfn-{name}", kms)
    statements = [{"Sid": "Logs", "Effect": "Allow", "Action": ["logs:CreateLogDelivery", "logs:GetLogDelivery"],
                   "Resource": "*"},
                  {"Sid": "XRay", "Effect": "Allow", "Action": ["xray:PutTraceSegments"], "Resource": "*"}]
    execution = role(f"sfn-{name}", "states.amazonaws.com", statements)
    return aws.sfn.StateMachine(
        name, name=name, role_arn=execution.arn,
        definition=definition or json.dumps({"StartAt": "Done", "TimeoutSeconds": 3600,
                                             "States": {"Done": {"Type": "Succeed"}}}),
        logging_configuration={"level": "ERROR", "include_execution_data": include_execution_data,
                               "log_destination": logs.arn.apply(lambda a: f"{a}:*")},
        tracing_configuration={"enabled": True},
        encryption_configuration={"type": "CUSTOMER_MANAGED_KMS_KEY", "kms_key_id": kms.arn,
                                  "kms_data_key_reuse_period_seconds": 300}, tags=TAGS)
