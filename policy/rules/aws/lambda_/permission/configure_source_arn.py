"""Lambda permissions for AWS services are scoped to the calling resource or account."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy

META = RuleMeta(
    id="LAMBDA-010", pillar=Pillar.SECURITY, severity=Severity.HIGH,
    description="Lambda permissions granted to an AWS service principal set `sourceArn` or `sourceAccount`. "
                "Without them any resource of that service, in any account, could invoke the function "
                "(the confused-deputy problem).",
    remediation="Set `source_arn` to the calling API, rule, bucket or distribution ARN (or at least "
                "`source_account` to our account).",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC03-BP02",
    url="https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html")


def check(props, _config):
    principal = props.get("principal") or ""
    if principal.endswith(".amazonaws.com") and not (props.get("sourceArn") or props.get("sourceAccount")):
        yield f"permission for service {principal} sets neither `sourceArn` nor `sourceAccount`."


POLICY = resource_policy(__name__, META, ["aws:lambda/permission:Permission"], check)
