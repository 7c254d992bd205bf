"""IAM policies do not grant write, permissions-management or data-reading actions on every resource."""
from pulumi_policy import EnforcementLevel, Severity

from rules import _iam
from rules import _iam_catalogue as catalogue
from rules._framework import Pillar, RuleMeta, resource_policy
from rules.aws.iam._documents import DOCUMENT_TYPES, identity_documents

SENSITIVE_LEVELS = (catalogue.WRITE, catalogue.PERMISSIONS, catalogue.TAGGING)
META = RuleMeta(
    id="IAM-006", pillar=Pillar.SECURITY, severity=Severity.HIGH,
    description="IAM identity policies do not grant, on every resource (`*`, an ARN pattern for every account, or "
                "a bucket-name wildcard such as `arn:aws:s3:::app-*`, which buckets of any account can match), "
                "actions that change or expose data: Write, Permissions management and Tagging actions that "
                "support resource-level permissions (e.g. `lambda:InvokeFunction`, `sqs:SendMessage`), and the "
                "data-exfiltration and credential-returning reads cloudsplaining lists (`s3:GetObject`, "
                "`secretsmanager:GetSecretValue`). Actions without resource-level permissions (X-Ray, "
                "CloudWatch metrics) are exempt by nature. Whole services and iam:PassRole have their own rules.",
    remediation="Name the stack's own resource ARNs in Resource, or add a condition that pins the caller's "
                "account or source (aws:SourceAccount, aws:PrincipalOrgID) or the resources' account "
                "(aws:ResourceAccount).",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC03-BP02",
    url="https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html")


def check(props, _config):
    everything = _iam.unscoped_actions(_iam.parse_all(identity_documents(props)))
    whole = set(_iam.whole_services(everything))  # reported by the wildcard-actions rule
    unscoped = {a for a in everything if catalogue.takes_resource(a)}
    risky = catalogue.data_exfiltration_actions() | catalogue.credentials_exposure_actions()
    found = sorted(catalogue.lookup(a).name if catalogue.lookup(a) else a for a in unscoped
                   if a.split(":")[0] not in whole and a != "iam:passrole"
                   and (catalogue.access_level(a) in SENSITIVE_LEVELS or a in risky))
    if found:
        more = f" and {len(found) - 6} more" if len(found) > 6 else ""
        yield f"the policy grants {', '.join(found[:6])}{more} on every resource."


POLICY = resource_policy(__name__, META, DOCUMENT_TYPES, check)
