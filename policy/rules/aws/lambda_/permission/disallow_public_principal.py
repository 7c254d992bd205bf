"""Lambda resource policies never allow everyone to invoke a function."""
from pulumi_policy import EnforcementLevel, Severity

from rules import _iam
from rules._framework import Pillar, RuleMeta, resource_policy
from rules.aws.iam._documents import permission_statement

META = RuleMeta(
    id="LAMBDA-009", pillar=Pillar.SECURITY, severity=Severity.CRITICAL,
    description="Lambda permissions do not grant invocation to principal `*` unless `principalOrgId`, "
                "`sourceAccount` or `sourceArn` pins the caller with a concrete value; otherwise any AWS account "
                "(or, for function URLs, anyone) could call the function.",
    remediation="Name the calling service (e.g. apigateway.amazonaws.com) or account as principal and scope it "
                "with source_arn / source_account.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC03-BP07",
    url="https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html")


def check(props, _config):
    statement, = _iam.parse({"Statement": [permission_statement(props)]})
    if _iam.is_public(statement):
        yield "`principal` is '*' and nothing pins the caller; the function could be invoked by anyone."


POLICY = resource_policy(__name__, META, ["aws:lambda/permission:Permission"], check)
