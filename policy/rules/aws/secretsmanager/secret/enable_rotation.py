"""Secrets Manager secrets rotate automatically, often enough."""
import re

from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, get_path, resource_stack_policy

SECRET = "aws:secretsmanager/secret:Secret"
ROTATION = "aws:secretsmanager/secretRotation:SecretRotation"
META = RuleMeta(
    id="SECRETS-002", pillar=Pillar.SECURITY, severity=Severity.MEDIUM,
    description="Secrets Manager secrets have an `aws.secretsmanager.SecretRotation` that rotates at least every "
                "`maximumDays` days, whether the schedule is `automaticallyAfterDays` or a `scheduleExpression` "
                "(rate(...) or cron(...), read for its longest interval), so a leaked secret stops working "
                "without anyone remembering to change it. Secrets tagged environment=prod rotate at least every "
                "30 days whatever the policy config says.",
    remediation="Add an aws.secretsmanager.SecretRotation with rotation_lambda_arn and rotation_rules "
                "(automatically_after_days or schedule_expression such as 'rate(30 days)').",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC02-BP05",
    url="https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets.html",
    settings={"maximumDays": {"type": "integer", "minimum": 1, "default": 90}},
    prod_settings={"maximumDays": 30})

RATE = re.compile(r"^rate\(\s*(\d+)\s+(hour|hours|day|days)\s*\)$", re.IGNORECASE)
CRON = re.compile(r"^cron\((.+)\)$", re.IGNORECASE)


def _month_gap(field: str) -> float:
    """Longest gap in months a cron month field allows: `*` 1, `*/3` 3, `1,7` 6, `4` 12."""
    if field in ("*", "?"):
        return 1
    if field.startswith("*/") and field[2:].isdigit():
        return int(field[2:])
    values = sorted({int(v) for v in re.findall(r"\d+", field)}) or [1]
    if "-" in field:
        return 1
    gaps = [b - a for a, b in zip(values, values[1:])] + [12 - values[-1] + values[0]]
    return max(gaps)


def interval_days(expression: str) -> float | None:
    """Longest time between two rotations a schedule expression allows (None if unreadable)."""
    expression = expression.strip()
    rate = RATE.match(expression)
    if rate:
        amount = int(rate.group(1))
        return amount / 24 if rate.group(2).lower().startswith("hour") else amount
    cron = CRON.match(expression)
    if not cron:
        return None
    fields = cron.group(1).split()
    if len(fields) != 6:
        return None
    _minute, _hour, day_of_month, month, day_of_week, _year = fields
    if day_of_month not in ("*", "?"):
        base = 31
    elif day_of_week not in ("*", "?"):
        base = 7
    else:
        base = 1
    gap = _month_gap(month)
    return base if gap == 1 else gap * 31


def check(secret, view, config):
    rotations = view.attached(secret, ROTATION, "secretId")
    if not rotations:
        yield f"secret {secret.name} has no rotation."
        return
    rules = rotations[0].props.get("rotationRules") or {}
    days = get_path(rules, "automaticallyAfterDays")
    expression = get_path(rules, "scheduleExpression")
    if expression:
        days = interval_days(str(expression))
        if days is None:
            yield f"secret {secret.name} rotates on an unreadable schedule {expression!r}."
            return
    if not days:
        yield f"secret {secret.name} has a rotation without a schedule."
    elif days > config["maximumDays"]:
        yield f"secret {secret.name} rotates every {days:g} days; at most {config['maximumDays']}."


POLICY = resource_stack_policy(__name__, META, [SECRET], check)
