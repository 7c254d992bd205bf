"""A Lambda function packaged from `functions/<name>/`, with its own least-privilege role, log group, DLQ.

Defaults (each can be changed through the args): python3.13 on arm64 (Graviton: cheaper per ms, lower energy),
X-Ray active tracing, JSON logs into a dedicated, KMS-encrypted log group with the stack's retention, an
encrypted SQS dead-letter queue for asynchronous invocations kept 14 days, environment encrypted with the stack
key, 256 MB, 30 s. The role may write only to its own log group and DLQ plus what `statements` grant.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from . import iam, packaging
from .kms import EncryptionKey
from .observability import dead_letter_queue, log_group

RUNTIME = "python3.13"
ARCHITECTURE = "arm64"


@dataclass
class PackagedFunctionArgs:
    source: str
    """Folder name under functions/ (a Python package with handler.py)."""
    kms_key: EncryptionKey
    log_retention_days: int
    description: str = ""
    handler: str = "handler.lambda_handler"
    """Entry point inside the package: `<module>.<function>` (another module of the same package lets a second
    function, with its own role, share that package's code)."""
    environment: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    statements: Sequence[iam.Statement] = ()
    """IAM statements for this function's own role, scoped to the stack's ARNs."""
    timeout: int = 30
    memory_size: int = 256
    reserved_concurrency: int | None = None
    """Caps concurrency (protects downstream services and cost); None = unreserved account pool."""
    log_level: str = "INFO"
    maximum_retry_attempts: int = 2
    """Retries of an asynchronous invocation before the event goes to the DLQ."""


class PackagedFunction(pulumi.ComponentResource):
    function: aws.lambda_.Function
    role: aws.iam.Role
    role_policy: aws.iam.RolePolicy
    log_group: aws.cloudwatch.LogGroup
    dead_letter_queue: aws.sqs.Queue
    arn: pulumi.Output[str]
    name: pulumi.Output[str]

    def __init__(self, name: str, args: PackagedFunctionArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("engagement:shared:PackagedFunction", name, None, opts)
        if args.reserved_concurrency is not None and args.reserved_concurrency < 0:
            raise ValueError("reserved_concurrency must be >= 0")
        if not 1 <= args.timeout <= 900:
            raise ValueError("timeout must be between 1 and 900 seconds")
        child = pulumi.ResourceOptions(parent=self)
        self.log_group = log_group(f"{name}-logs", f"lambda/{name}", args.log_retention_days,
                                   args.kms_key.arn, self)
        self.dead_letter_queue = dead_letter_queue(f"{name}-dlq", args.kms_key.arn, self)
        # Lambda's trust policy takes no source condition: the function, not the service, assumes the role.
        self.role, self.role_policy = iam.service_role(f"{name}-role", f"{name}-policy", "lambda.amazonaws.com", [
            iam.allow(["logs:CreateLogStream", "logs:PutLogEvents"],
                      [pulumi.Output.concat(self.log_group.arn, ":*")], sid="OwnLogGroup"),
            iam.allow(list(iam.RESOURCELESS_ACTIONS), ["*"], sid="XRayTracesHaveNoResourceArn"),
            iam.allow(["sqs:SendMessage"], [self.dead_letter_queue.arn], sid="OwnDeadLetterQueue"),
            iam.allow(["kms:Decrypt", "kms:GenerateDataKey"], [args.kms_key.arn], sid="StackKey"),
            *args.statements], self, description=f"Runs the {args.source} function", bind_to_account=False)
        self.function = aws.lambda_.Function(
            name, description=args.description or f"{args.source} ({pulumi.get_project()})",
            runtime=RUNTIME, architectures=[ARCHITECTURE], handler=f"{args.source}.{args.handler}",
            code=packaging.function_archive(args.source), role=self.role.arn, timeout=args.timeout,
            memory_size=args.memory_size, reserved_concurrent_executions=args.reserved_concurrency,
            kms_key_arn=args.kms_key.arn,
            environment=aws.lambda_.FunctionEnvironmentArgs(variables={
                "POWERTOOLS_SERVICE_NAME": args.source, "POWERTOOLS_LOG_LEVEL": args.log_level,
                **dict(args.environment)}),
            tracing_config=aws.lambda_.FunctionTracingConfigArgs(mode="Active"),
            dead_letter_config=aws.lambda_.FunctionDeadLetterConfigArgs(target_arn=self.dead_letter_queue.arn),
            logging_config=aws.lambda_.FunctionLoggingConfigArgs(
                log_format="JSON", log_group=self.log_group.name,
                application_log_level={"WARNING": "WARN"}.get(args.log_level, args.log_level),
                system_log_level="WARN"),
            # Lambda checks the role when the function is created, and the first invocation must already log,
            # trace and reach its DLQ: wait for the role's inline policy explicitly, not for provider retries.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.log_group, self.role_policy]))
        aws.lambda_.FunctionEventInvokeConfig(
            f"{name}-async", function_name=self.function.name, maximum_retry_attempts=args.maximum_retry_attempts,
            maximum_event_age_in_seconds=6 * 3600, opts=child)
        self.arn = self.function.arn
        self.name = self.function.name
        self.register_outputs({"arn": self.arn, "name": self.name, "role_arn": self.role.arn,
                               "dead_letter_queue_arn": self.dead_letter_queue.arn})
