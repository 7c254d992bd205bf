"""IAM policies grant actions without resource-level permissions on `*`, where they take effect."""
from pulumi_policy import EnforcementLevel, Severity

from rules import _iam
from rules import _iam_catalogue as catalogue
from rules._framework import Pillar, RuleMeta, resource_policy
from rules.aws.iam._documents import DOCUMENT_TYPES, identity_documents

META = RuleMeta(
    id="IAM-011", pillar=Pillar.RELIABILITY, severity=Severity.MEDIUM,
    description="IAM identity policies do not grant an action that supports no resource-level permissions (the "
                "IAM catalogue lists no resource type for it, e.g. dynamodb:ListStreams, cloudwatch:PutMetricData, "
                "xray:PutTraceSegments) only on specific ARNs: such a grant matches no request, so the code fails "
                "with AccessDenied at run time although the policy looks right in review.",
    remediation="Move the action to a statement with Resource '*' (it cannot be scoped by ARN; scope it with a "
                "condition key where the service offers one), or remove it if the code does not call it.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="REL08-BP01",
    url="https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html")


def check(props, _config):
    for statement in _iam.parse_all(identity_documents(props)):
        if not statement.allow or statement.not_action or statement.not_resource or "*" in statement.resources:
            continue
        named = sorted(catalogue.lookup(a).name for a in statement.actions
                       if catalogue.lookup(a) and not catalogue.takes_resource(a))
        if named:
            yield f"statement {statement.label} grants {', '.join(named)} only on specific ARNs, which never match."


POLICY = resource_policy(__name__, META, DOCUMENT_TYPES, check)
