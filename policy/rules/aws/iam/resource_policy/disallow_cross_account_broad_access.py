"""Resource policies grant other accounts only narrow actions."""
from pulumi_policy import EnforcementLevel, Severity

from rules import _iam
from rules import _iam_catalogue as catalogue
from rules._framework import Pillar, RuleMeta, resource_stack_policy
from rules.aws.iam._documents import (RESOURCE_POLICY_TYPES, TRUSTED_ACCOUNTS_SETTING, resource_policy_document,
                                      trusted_accounts)

META = RuleMeta(
    id="IAM-009", pillar=Pillar.SECURITY, severity=Severity.HIGH,
    description="Resource policies (S3, KMS, SNS, SQS, EventBridge buses, Secrets Manager, Lambda permissions) "
                "grant an account that is not one of the stack's own (accounts in the stack's ARNs, plus setting "
                "`trustedAccounts`) neither every action of a service (`events:*`, `kms:*`, `s3:*`, `lambda:*`, "
                "or NotAction) nor a Permissions management action (e.g. s3:PutBucketPolicy, kms:PutKeyPolicy, "
                "sqs:AddPermission). A partner gets the one action it needs, such as events:PutEvents.",
    remediation="Replace the wildcard with the actions the partner calls (e.g. events:PutEvents, "
                "kms:Decrypt with a kms:ViaService condition) and never delegate policy changes.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC03-BP08",
    url="https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies-cross-account-resource-access.html",
    settings=TRUSTED_ACCOUNTS_SETTING)


def check(resource, view, config):
    trusted = trusted_accounts(view, config)
    for statement in _iam.parse(resource_policy_document(resource.resource_type, resource.props)):
        strangers = sorted(_iam.principal_accounts(statement) - trusted)
        if not statement.allow or not strangers:
            continue
        services = _iam.whole_services(statement.actions)
        delegated = sorted(catalogue.lookup(a).name for a in statement.actions
                           if catalogue.access_level(a) == catalogue.PERMISSIONS and a.split(":")[0] not in services)
        if services or delegated:
            what = [f"{s}:*" for s in services[:3]] + delegated[:3]
            yield f"statement {statement.label} grants account(s) {strangers} {', '.join(what)}."


POLICY = resource_stack_policy(__name__, META, RESOURCE_POLICY_TYPES, check)
