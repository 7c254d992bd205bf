"""CloudWatch log groups keep logs for a set time, at least the configured minimum."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy

META = RuleMeta(
    id="LOGS-001", pillar=Pillar.COST_OPTIMIZATION, severity=Severity.MEDIUM,
    description="CloudWatch log groups set `retentionInDays` to at least the configured minimum. Without a "
                "retention logs are kept (and billed) forever; below the minimum, investigations lack data. Log "
                "groups tagged environment=prod keep at least 365 days whatever the policy config says. At the "
                "REMEDIATE level a missing retention is set to the minimum.",
    remediation="Set retention_in_days (the stack's engagement:logRetentionDays) on the aws.cloudwatch.LogGroup.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="COST02-BP05",
    url="https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html",
    settings={"minimumRetentionDays": {"type": "integer", "minimum": 1, "default": 7}},
    prod_settings={"minimumRetentionDays": 365})


def check(props, config):
    retention = props.get("retentionInDays")
    if not retention:  # absent or 0 both mean "never expire"
        yield "`retentionInDays` is not set; logs would be kept forever."
    elif retention < config["minimumRetentionDays"]:
        yield f"`retentionInDays` is {int(retention)}; expected at least {config['minimumRetentionDays']}."


def remediate(props, config):
    # Only the unambiguous case is fixed: an explicit but short retention is a decision a human must revisit.
    if props.get("retentionInDays"):
        return None
    return {**props, "retentionInDays": config["minimumRetentionDays"]}


POLICY = resource_policy(__name__, META, ["aws:cloudwatch/logGroup:LogGroup"], check, remediate=remediate)
