"""SSM parameters that hold a credential are SecureString."""
import re

from pulumi_policy import EnforcementLevel, Severity

from rules import _secrets
from rules._framework import Pillar, RuleMeta, known, resource_policy

META = RuleMeta(
    id="SECRETS-005", pillar=Pillar.SECURITY, severity=Severity.CRITICAL,
    description="SSM parameters whose name looks like a credential (the last path segment ends in password, "
                "token, secret, api_key...) or whose value has a known credential format are of type "
                "SecureString. A String or StringList parameter is stored unencrypted and readable by anyone with "
                "ssm:GetParameter; the secret-values rule exempts parameter values because they carry secrets by "
                "design, so this rule checks that they carry them encrypted.",
    remediation="Set type='SecureString' and key_id to the stack's customer-managed key, or move the value to "
                "Secrets Manager.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC08-BP01",
    url="https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-securestring.html")


def check(props, _config):
    kind = props.get("type")
    if kind == "SecureString":
        return
    name = known(props, "name") or ""
    segment = re.sub(r"[^A-Za-z0-9_]", "_", name.rstrip("/").rsplit("/", 1)[-1]) if isinstance(name, str) else ""
    value = known(props, "value")
    if segment and _secrets.SECRET_NAME.search(segment) and not _secrets.NOT_SECRET_NAME.search(segment):
        yield f"parameter {name!r} has a credential-like name but type {kind!r}; expected SecureString."
    elif isinstance(value, str) and _secrets.known_format(value):
        yield f"parameter {name!r} holds {_secrets.known_format(value)} as type {kind!r}; expected SecureString."


POLICY = resource_policy(__name__, META, ["aws:ssm/parameter:Parameter"], check)
