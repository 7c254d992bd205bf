"""Customer Profiles object types (pulumi-aws-native) expire their objects (data retention)."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, get_path, resource_policy

META = RuleMeta(
    id="PROFILES-101", pillar=Pillar.SECURITY, severity=Severity.MEDIUM,
    description="Amazon Connect Customer Profiles object types set `expirationDays` no longer than "
                "`maximumDays` (default 1098), so personal data written onto profiles is not kept for ever.",
    remediation="Set expiration_days on the pulumi_aws_native.customerprofiles.ObjectType to the retention your "
                "data-protection policy allows.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC07-BP04",
    url="https://docs.aws.amazon.com/customerprofiles/latest/APIReference/API_PutProfileObjectType.html",
    settings={"maximumDays": {"type": "integer", "minimum": 1, "default": 1098}})


def check(props, config):
    days, maximum = get_path(props, "expirationDays"), config.get("maximumDays", 1098)
    if days is None:
        yield "`expirationDays` is not set; objects take the domain's expiration, which may be unbounded."
    elif days > maximum:
        yield f"`expirationDays` is {days:g}; at most {maximum} is allowed."


POLICY = resource_policy(__name__, META, ["aws-native:customerprofiles:ObjectType"], check)
