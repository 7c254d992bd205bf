"""DynamoDB tables and their replicas keep continuous backups (point-in-time recovery)."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, get_path, resource_policy

META = RuleMeta(
    id="DYNAMODB-001", pillar=Pillar.RELIABILITY, severity=Severity.HIGH,
    description="DynamoDB tables enable point-in-time recovery, and so does every global-table replica "
                "(`replicas[].pointInTimeRecovery`, false by default), so each copy can be restored to any "
                "second of the recovery window after a bad write or delete. Holds on prod-tagged tables whatever "
                "exemptions the policy config lists.",
    remediation="Set point_in_time_recovery={'enabled': True} and point_in_time_recovery=True on each replica.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="REL09-BP01",
    url="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery.html",
    exemptible_in_prod=False)


def check(props, _config):
    if get_path(props, "pointInTimeRecovery.enabled") is not True:
        yield "`pointInTimeRecovery.enabled` is not true."
    for replica in props.get("replicas") or []:
        if replica.get("pointInTimeRecovery") is not True:
            yield f"replica in {replica.get('regionName')!r} has `pointInTimeRecovery` off."


POLICY = resource_policy(__name__, META, ["aws:dynamodb/table:Table"], check)
