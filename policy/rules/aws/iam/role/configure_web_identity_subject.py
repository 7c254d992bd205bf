"""Roles trusted by an OIDC or Cognito identity provider pin the subject."""
from pulumi_policy import EnforcementLevel, Severity

from rules import _iam
from rules._framework import Pillar, RuleMeta, resource_policy

META = RuleMeta(
    id="IAM-008", pillar=Pillar.SECURITY, severity=Severity.CRITICAL,
    description="IAM roles assumable with web identity (OIDC providers such as GitHub Actions, or Cognito) "
                "condition the trust on the token's subject with a concrete value: `<provider>:sub` (for GitHub "
                "`repo:<owner>/<repo>:...` without wildcards in owner or repository), or "
                "`cognito-identity.amazonaws.com:aud`. An `aud` condition alone lets every repository or user "
                "of the provider assume the role.",
    remediation="Add StringEquals (or StringLike) token.actions.githubusercontent.com:sub = "
                "'repo:<owner>/<repo>:environment:<env>' next to the aud condition.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC02-BP02",
    url="https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services")


def check(props, _config):
    for statement in _iam.parse(props.get("assumeRolePolicy")):
        for gap in _iam.web_identity_gaps(statement):
            yield f"trust statement {statement.label}: {gap}."


POLICY = resource_policy(__name__, META, ["aws:iam/role:Role"], check)
