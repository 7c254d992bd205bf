"""IAM policies grant no whole service (or everything) on every resource."""
from pulumi_policy import EnforcementLevel, Severity

from rules import _iam
from rules._framework import Pillar, RuleMeta, resource_policy
from rules.aws.iam._documents import DOCUMENT_TYPES, identity_documents

META = RuleMeta(
    id="IAM-001", pillar=Pillar.SECURITY, severity=Severity.CRITICAL,
    description="IAM identity policies (managed, inline and a role's inline_policies) do not let a principal use "
                "every action of a service (or of all services) on every resource, or every resource of one account "
                "(`arn:aws:sqs:*:<account>:*`, or `*` pinned only by aws:ResourceAccount), however it is written: "
                "`*`, `s3:*`, `s*:*`, or an Allow with `NotAction` or `NotResource`. Explicit unconditional Deny "
                "statements are subtracted first.",
    remediation="List the actions the code calls and the stack's own resource ARNs (components.iam.allow); "
                "keep Resource `*` only for actions without resource-level permissions such as X-Ray, and "
                "never Allow with NotAction or NotResource.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC03-BP02",
    url="https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege")


def check(props, _config):
    statements = _iam.parse_all(identity_documents(props))
    # Every resource of the account is enough: `sqs:*` on `arn:aws:sqs:*:<account>:*`, or `*` pinned only by
    # aws:ResourceAccount, is the account's whole service.
    services = _iam.whole_services(_iam.unscoped_actions(statements, within_account=True))
    if services:
        anywhere = set(_iam.whole_services(_iam.unscoped_actions(statements)))
        scope = "every resource" if set(services) <= anywhere else "every resource of the account"
        shown = ", ".join(f"{s}:*" for s in services[:5]) + (f" and {len(services) - 5} more" if len(services) > 5
                                                              else "")
        yield f"the policy grants every action of {shown} on {scope}."


POLICY = resource_policy(__name__, META, DOCUMENT_TYPES, check)
