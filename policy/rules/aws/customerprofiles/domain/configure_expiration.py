"""Customer Profiles domains expire data no later than the retention the team chose."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy

META = RuleMeta(
    id="PROFILES-003", pillar=Pillar.SECURITY, severity=Severity.LOW,
    description="Customer Profiles domains set `defaultExpirationDays` to at most `maximumDays`, so personal "
                "data ingested into profiles is not kept longer than it is needed (storage limitation).",
    remediation="Set default_expiration_days on the aws.customerprofiles.Domain (365 keeps a year).",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC07-BP04",
    url="https://docs.aws.amazon.com/customerprofiles/latest/APIReference/API_CreateDomain.html",
    settings={"maximumDays": {"type": "integer", "minimum": 1, "maximum": 1098, "default": 1098}})


def check(props, config):
    days = props.get("defaultExpirationDays")
    if days is None:
        yield "`defaultExpirationDays` is not set."
    elif days > config["maximumDays"]:
        yield f"`defaultExpirationDays` is {days:.0f}; the maximum is {config['maximumDays']}."


POLICY = resource_policy(__name__, META, ["aws:customerprofiles/domain:Domain"], check)
