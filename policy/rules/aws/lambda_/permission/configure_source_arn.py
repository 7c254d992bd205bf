"""Lambda permissions for AWS services are scoped to the calling resource or account."""
from pulumi_policy import EnforcementLevel, Severity

from rules import _iam
from rules._framework import Pillar, RuleMeta, resource_policy
from rules.aws.iam._documents import permission_statement

META = RuleMeta(
    id="LAMBDA-010", pillar=Pillar.SECURITY, severity=Severity.HIGH,
    description="Lambda permissions granted to an AWS service principal set `sourceArn` or `sourceAccount` with a "
                "concrete value (an ARN naming our account, or a whole bucket name; not `arn:aws:s3:::*` or "
                "`arn:aws:execute-api:*:*:*`). Otherwise any resource of that service, in any account, could "
                "invoke the function (the confused-deputy problem).",
    remediation="Set `source_arn` to the calling API, rule, bucket or distribution ARN (or at least "
                "`source_account` to our account).",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC03-BP02",
    url="https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html")


def check(props, _config):
    principal = props.get("principal") or ""
    if not principal.endswith(".amazonaws.com"):
        return
    statement, = _iam.parse({"Statement": [permission_statement(props)]})
    if not _iam.caller_restrictions(statement, ("aws:SourceArn", "aws:SourceAccount")):
        yield (f"permission for service {principal} sets no concrete `sourceArn` or `sourceAccount` "
               f"(found {props.get('sourceArn') or props.get('sourceAccount') or 'none'!r}).")


POLICY = resource_policy(__name__, META, ["aws:lambda/permission:Permission"], check)
