"""aws-sqs-queue-disallow-public-policy: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-sqs-queue-disallow-public-policy"
TYPE = "aws:sqs/queuePolicy:QueuePolicy"


def test_policy_with_source_arn_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_public_queue_policy_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"policy": fx.doc({"Sid": "Open", "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"})})),
              "'Open' allows principal '*' unconditionally")
