"""Athena workgroups encrypt query results with a KMS key."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, get_path, resource_policy

META = RuleMeta(
    id="ATHENA-002", pillar=Pillar.SECURITY, severity=Severity.HIGH,
    description="Athena workgroups encrypt query results with SSE_KMS or CSE_KMS and a customer-managed key, "
                "because results hold copies of the data they were computed from.",
    remediation="Set configuration.result_configuration.encryption_configuration={'encryption_option': "
                "'SSE_KMS', 'kms_key_arn': key.arn}.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC08-BP02",
    url="https://docs.aws.amazon.com/athena/latest/ug/encrypting-query-results-stored-in-s3.html")


def check(props, _config):
    encryption = get_path(props, "configuration.resultConfiguration.encryptionConfiguration") or {}
    option = encryption.get("encryptionOption")
    if option not in ("SSE_KMS", "CSE_KMS"):
        yield f"query results use encryption {option!r}; expected SSE_KMS or CSE_KMS."
    elif not encryption.get("kmsKeyArn"):
        yield "query results encryption has no `kmsKeyArn`."


POLICY = resource_policy(__name__, META, ["aws:athena/workgroup:Workgroup"], check)
