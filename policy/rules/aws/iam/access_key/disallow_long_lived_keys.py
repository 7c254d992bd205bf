"""No long-lived IAM access keys."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy

META = RuleMeta(
    id="IAM-010", pillar=Pillar.SECURITY, severity=Severity.HIGH,
    description="The program creates no IAM access keys (`aws.iam.AccessKey`): a long-lived key lands in the "
                "Pulumi state and in whatever reads the output, and never expires. CI uses OIDC web identity; "
                "workloads use roles.",
    remediation="Delete the access key; give CI an OIDC role (aws.iam.OpenIdConnectProvider + a role whose trust "
                "pins the repository) and workloads an execution role.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC02-BP02",
    url="https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-workloads-use-roles")


def check(_props, _config):
    yield "the program creates a long-lived IAM access key."


POLICY = resource_policy(__name__, META, ["aws:iam/accessKey:AccessKey"], check)
