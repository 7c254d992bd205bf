"""IAM policy documents built from the stack's own resource ARNs (never `*` where a resource can be named)."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pulumi

Statement = dict[str, Any]

# Actions that support no resource-level permissions; `Resource: "*"` is the only valid value for them.
RESOURCELESS_ACTIONS = ("xray:PutTraceSegments", "xray:PutTelemetryRecords")


def allow(actions: Sequence[str], resources: Sequence[pulumi.Input[str]], sid: str | None = None,
          condition: dict[str, Any] | None = None) -> Statement:
    statement: Statement = {"Effect": "Allow", "Action": sorted(actions), "Resource": list(resources)}
    if sid:
        statement["Sid"] = sid
    if condition:
        statement["Condition"] = condition
    return statement


def document(statements: Sequence[Statement]) -> pulumi.Output[str]:
    """A policy document as a JSON string output (statements may hold outputs such as ARNs)."""
    return pulumi.Output.json_dumps({"Version": "2012-10-17", "Statement": list(statements)})


def service_trust_policy(service: str, source_account: pulumi.Input[str] | None = None) -> pulumi.Output[str]:
    """Trust policy for an AWS service principal, bound to our account to prevent the confused deputy."""
    statement: Statement = {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
    if source_account is not None:
        statement["Condition"] = {"StringEquals": {"aws:SourceAccount": source_account}}
    return document([statement])


def account_id() -> pulumi.Output[str]:
    import pulumi_aws as aws

    return aws.get_caller_identity_output().account_id


def region_name() -> pulumi.Output[str]:
    import pulumi_aws as aws

    return aws.get_region_output().region


def service_role(role_name: str, policy_name: str, service: str, statements: Sequence[Statement],
                 parent: pulumi.Resource, description: str = "", bind_to_account: bool = True):
    """A role for an AWS service with one inline policy; returns (role, policy) so callers can wait for both."""
    import pulumi_aws as aws

    role = aws.iam.Role(role_name, assume_role_policy=service_trust_policy(
        service, account_id() if bind_to_account else None), description=description or None,
        opts=pulumi.ResourceOptions(parent=parent))
    policy = aws.iam.RolePolicy(policy_name, role=role.id, policy=document(statements),
                                opts=pulumi.ResourceOptions(parent=parent))
    return role, policy
