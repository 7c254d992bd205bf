"""Glue JDBC connections require SSL and take their password from Secrets Manager."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy

META = RuleMeta(
    id="GLUE-005", pillar=Pillar.SECURITY, severity=Severity.HIGH,
    description="Glue JDBC connections set `connectionProperties.JDBC_ENFORCE_SSL` to true, so crawlers and jobs "
                "never read the database in clear text. A literal PASSWORD is caught by the secret-values rule "
                "(use SECRET_ID).",
    remediation="Set connection_properties={'JDBC_CONNECTION_URL': ..., 'JDBC_ENFORCE_SSL': 'true', "
                "'SECRET_ID': secret.name}.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC09-BP02",
    url="https://docs.aws.amazon.com/glue/latest/dg/connection-properties.html")


def check(props, _config):
    if (props.get("connectionType") or "JDBC") != "JDBC":
        return
    properties = props.get("connectionProperties") or {}
    if str(properties.get("JDBC_ENFORCE_SSL", "false")).lower() != "true":
        yield "`connectionProperties.JDBC_ENFORCE_SSL` is not 'true'."


POLICY = resource_policy(__name__, META, ["aws:glue/connection:Connection"], check)
