"""EventBridge Scheduler schedules encrypt their target input with a customer-managed key."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, get_path, resource_policy

META = RuleMeta(
    id="SCHEDULER-003", pillar=Pillar.SECURITY, severity=Severity.LOW,
    description="EventBridge Scheduler schedules set `kmsKeyArn`, so the stored target input is encrypted with "
                "a customer-managed key whose use is logged and can be revoked.",
    remediation="Set kms_key_arn=key.arn on the aws.scheduler.Schedule and allow kms:Decrypt on the key in "
                "the schedule's role.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC08-BP01",
    url="https://docs.aws.amazon.com/scheduler/latest/UserGuide/encryption-rest.html")


def check(props, _config):
    if not get_path(props, "kmsKeyArn"):
        yield "`kmsKeyArn` is not set; the schedule's input is encrypted with an AWS-owned key."


POLICY = resource_policy(__name__, META, ["aws:scheduler/schedule:Schedule"], check)
