"""aws-s3-bucket-enforce-tls: a Deny of plain HTTP that really covers every action, the bucket and its objects."""
import pytest

POLICY = "aws-s3-bucket-enforce-tls"
ARN = "arn:aws:s3:::data-bucket"
DENY = {"Sid": "DenyRequestsWithoutTls", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
        "Resource": [ARN, f"{ARN}/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}

EVASIONS = {
    "turned-into-allow": {**DENY, "Effect": "Allow"},
    "only-get-object": {**DENY, "Action": "s3:GetObject"},
    "bucket-but-not-objects": {**DENY, "Resource": ARN},
    "other-bucket": {**DENY, "Resource": ["arn:aws:s3:::other", "arn:aws:s3:::other/*"]},
    "condition-inverted": {**DENY, "Condition": {"Bool": {"aws:SecureTransport": "true"}}},
    "one-principal-only": {**DENY, "Principal": {"AWS": "arn:aws:iam::123456789012:role/app"}},
    "extra-condition-narrows-deny": {**DENY, "Condition": {"Bool": {"aws:SecureTransport": "false"},
                                                           "StringEquals": {"aws:SourceVpce": "vpce-1"}}},
}


def test_bucket_policy_denying_plain_http_is_compliant(run_rule, fx):
    assert run_rule(POLICY, *fx.bucket_stack()) == []


@pytest.mark.parametrize("resource", ["*", "arn:aws:s3:::data-*"])
def test_deny_on_wider_resources_is_compliant(run_rule, fx, resource):
    assert run_rule(POLICY, *fx.bucket_stack(policy={"policy": fx.doc({**DENY, "Resource": resource})})) == []


def test_missing_bucket_policy_is_violation(run_rule, fx, violation):
    violation(run_rule(POLICY, *fx.bucket_stack(policy=fx.DELETE)), "has no policy denying every request without TLS")


@pytest.mark.parametrize("case, statement", EVASIONS.items())
def test_deny_that_leaves_plain_http_open_is_violation(run_rule, fx, violation, case, statement):
    violation(run_rule(POLICY, *fx.bucket_stack(policy={"policy": fx.doc(statement)})),
              "has no policy denying every request without TLS")
