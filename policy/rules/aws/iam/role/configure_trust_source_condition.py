"""Roles trusted by cross-account-capable services pin the caller's account or resource."""
from pulumi_policy import EnforcementLevel, Severity

from rules import _iam
from rules._framework import Pillar, RuleMeta, resource_policy

SOURCE_KEYS = ("aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID")
META = RuleMeta(
    id="IAM-004", pillar=Pillar.SECURITY, severity=Severity.HIGH,
    description="IAM roles trusted by AWS services that act on behalf of other accounts (Firehose, EventBridge, "
                "Scheduler, Step Functions, SES, End User Messaging, API Gateway) condition the trust on "
                "`aws:SourceAccount`, `aws:SourceArn` or `aws:SourceOrgID` with a concrete value and a positive "
                "operator (not IfExists, not a wildcard account), which prevents the confused-deputy problem. "
                "Services that only run our own code (such as Lambda) are not in the list.",
    remediation="Pass source_account to components.iam.service_trust_policy, or add a StringEquals "
                "aws:SourceAccount (or ArnLike aws:SourceArn) condition to the trust statement.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC03-BP02",
    url="https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html",
    settings={"services": {"type": "array", "items": {"type": "string"}, "default": [
        "firehose.amazonaws.com", "events.amazonaws.com", "scheduler.amazonaws.com", "states.amazonaws.com",
        "ses.amazonaws.com", "sms-voice.amazonaws.com", "pinpoint.amazonaws.com", "apigateway.amazonaws.com"]}})


def check(props, config):
    for statement in _iam.parse(props.get("assumeRolePolicy")):
        services = sorted(set(statement.principal_values("Service")) & set(config["services"]))
        if statement.allow and services and not _iam.caller_restrictions(statement, SOURCE_KEYS):
            yield f"trust for {services} has no aws:SourceAccount or aws:SourceArn condition with a concrete value."


POLICY = resource_policy(__name__, META, ["aws:iam/role:Role"], check)
