"""aws-iam-resource-policy-disallow-cross-account-broad-access: strangers get narrow actions only."""
import pytest

POLICY = "aws-iam-resource-policy-disallow-cross-account-broad-access"
PARTNER = "210987654321"


def partner(action, principal=f"arn:aws:iam::{PARTNER}:root"):
    return {"Sid": "Partner", "Effect": "Allow", "Principal": {"AWS": principal}, "Action": action, "Resource": "*"}


BROAD = {
    "event-bus-events-star": ("aws:cloudwatch/eventBusPolicy:EventBusPolicy", partner("events:*")),
    "key-kms-star-to-account-id": ("aws:kms/key:Key", partner("kms:*", PARTNER)),
    "bucket-policy-delegation": ("aws:s3/bucketPolicy:BucketPolicy", partner(["s3:GetObject", "s3:PutBucketPolicy"])),
    "queue-not-action": ("aws:sqs/queuePolicy:QueuePolicy", {**partner("x"), "Action": None, "NotAction": "sqs:Delete*"}),
}


def _stack(make, fx, resource_type, statement):
    statement = {k: v for k, v in statement.items() if v is not None}
    # The key gives the stack its own account (its ARN), as every real stack has.
    return [make(resource_type, {"policy": fx.doc(statement)}, name="guarded"), make("aws:kms/key:Key", name="own")]


@pytest.mark.parametrize("case, spec", BROAD.items())
def test_broad_grant_to_another_account_is_violation(run_rule, make, fx, violation, case, spec):
    violation(run_rule(POLICY, *_stack(make, fx, *spec)), f"grants account(s) ['{PARTNER}']")


def test_partner_putting_events_is_compliant(run_rule, make, fx):
    assert run_rule(POLICY, *_stack(make, fx, "aws:cloudwatch/eventBusPolicy:EventBusPolicy",
                                    partner("events:PutEvents"))) == []


def test_own_account_root_with_kms_star_is_compliant(run_rule, make, fx):
    assert run_rule(POLICY, make("aws:kms/key:Key")) == []


def test_trusted_account_setting_allows_a_broad_grant(run_rule, make, fx):
    assert run_rule(POLICY, *_stack(make, fx, "aws:kms/key:Key", partner("kms:*")),
                    config={"trustedAccounts": [PARTNER]}) == []


def test_lambda_permission_granting_a_partner_every_lambda_action_is_violation(run_rule, make, violation):
    permission = make("aws:lambda/permission:Permission", name="guarded", props={
        "function": "worker", "action": "lambda:*", "principal": PARTNER, "statementId": "Partner"})
    violation(run_rule(POLICY, permission, make("aws:kms/key:Key", name="own")), f"grants account(s) ['{PARTNER}']")
    invoke = make("aws:lambda/permission:Permission", name="guarded", props={
        "function": "worker", "action": "lambda:InvokeFunction", "principal": PARTNER, "statementId": "Partner"})
    assert run_rule(POLICY, invoke, make("aws:kms/key:Key", name="own")) == []
