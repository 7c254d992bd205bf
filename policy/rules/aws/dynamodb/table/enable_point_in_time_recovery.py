"""DynamoDB tables keep continuous backups (point-in-time recovery)."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, value_policy

POLICY = value_policy(__name__, RuleMeta(
    id="DYNAMODB-001", pillar=Pillar.RELIABILITY, severity=Severity.HIGH,
    description="DynamoDB tables enable point-in-time recovery, so the table can be restored to any second of "
                "the recovery window after a bad write or delete.",
    remediation="Set point_in_time_recovery={'enabled': True}.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="REL09-BP01",
    url="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery.html"),
    "aws:dynamodb/table:Table", "pointInTimeRecovery.enabled", [True], absent_is_violation=True)
