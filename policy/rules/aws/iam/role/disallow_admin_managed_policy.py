"""IAM roles get no AWS-managed administrator or full-IAM policies."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy

ADMIN_POLICIES = ("AdministratorAccess", "IAMFullAccess", "PowerUserAccess")
META = RuleMeta(
    id="IAM-005", pillar=Pillar.SECURITY, severity=Severity.CRITICAL,
    description="IAM roles are not attached to the AWS-managed AdministratorAccess, IAMFullAccess or "
                "PowerUserAccess policies, whether through `managedPolicyArns`, a RolePolicyAttachment or a "
                "PolicyAttachment.",
    remediation="Replace the managed policy with an inline or customer-managed policy listing the actions and "
                "resources the workload needs.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC03-BP02",
    url="https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html")


def check(props, _config):
    arns = list(props.get("managedPolicyArns") or []) + [props.get("policyArn") or ""]
    for arn in arns:
        if isinstance(arn, str) and arn.startswith("arn:aws") and ":iam::aws:policy/" in arn \
                and arn.rsplit("/", 1)[-1] in ADMIN_POLICIES:
            yield f"attaches the AWS-managed policy {arn.rsplit('/', 1)[-1]}."


POLICY = resource_policy(__name__, META, ["aws:iam/role:Role", "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
                                          "aws:iam/policyAttachment:PolicyAttachment"], check)
