"""DynamoDB tables are protected against deletion."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, value_policy

POLICY = value_policy(__name__, RuleMeta(
    id="DYNAMODB-003", pillar=Pillar.RELIABILITY, severity=Severity.MEDIUM,
    description="DynamoDB tables enable deletion protection, so neither a console click nor a replacement in a "
                "deployment can delete the table and its data. Exemptions (e.g. for dev tables) never apply to tables "
                "tagged environment=prod.",
    remediation="Set deletion_protection_enabled=True (dev stacks may exempt their tables in policy config).",
    default_level=EnforcementLevel.ADVISORY, wa_reference="REL09-BP01",
    url="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithTables.Basics.html",
    exemptible_in_prod=False),
    "aws:dynamodb/table:Table", "deletionProtectionEnabled", [True], absent_is_violation=True)
