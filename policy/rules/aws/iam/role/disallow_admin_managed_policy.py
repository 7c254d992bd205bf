"""IAM roles (and users and groups) get no AWS-managed administrator or whole-service policies."""
import re

from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy

ADMIN_POLICIES = ("AdministratorAccess", "IAMFullAccess", "PowerUserAccess")
# AWS-managed policies that grant a whole service on every resource (AmazonS3FullAccess, AWSLambda_FullAccess,
# AdministratorAccess-Amplify...): the managed-policy form of what IAM-001 refuses inline.
BROAD_POLICY = re.compile(r"(FullAccess|^AdministratorAccess-.+|^SecretsManagerReadWrite)$")
ATTACHMENT_TYPES = [
    "aws:iam/role:Role", "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:iam/policyAttachment:PolicyAttachment",
    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment",
    "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive",
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
    "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive"]
META = RuleMeta(
    id="IAM-005", pillar=Pillar.SECURITY, severity=Severity.CRITICAL,
    description="IAM roles, users and groups are not attached to the AWS-managed AdministratorAccess, "
                "IAMFullAccess or PowerUserAccess policies, nor to one granting a whole service (`*FullAccess`, "
                "`AdministratorAccess-*`, SecretsManagerReadWrite), whether through `managedPolicyArns`, a "
                "Role/User/GroupPolicyAttachment, a PolicyAttachment or a *PolicyAttachmentsExclusive.",
    remediation="Replace the managed policy with an inline or customer-managed policy listing the actions and "
                "resources the workload needs.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC03-BP02",
    url="https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html")


def check(props, _config):
    arns = list(props.get("managedPolicyArns") or []) + list(props.get("policyArns") or []) \
        + [props.get("policyArn") or ""]
    for arn in arns:
        name = arn.rsplit("/", 1)[-1] if isinstance(arn, str) else ""
        if arn and arn.startswith("arn:aws") and ":iam::aws:policy/" in arn \
                and (name in ADMIN_POLICIES or BROAD_POLICY.search(name)):
            yield f"attaches the AWS-managed policy {name}."


POLICY = resource_policy(__name__, META, ATTACHMENT_TYPES, check)
