"""aws-sns-topic-enable-kms-encryption: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-sns-topic-enable-kms-encryption"
TYPE = "aws:sns/topic:Topic"


def test_cmk_topic_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_unencrypted_topic_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"kmsMasterKeyId": fx.DELETE})),
              '`kmsMasterKeyId` is not set')


def test_aws_managed_key_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"kmsMasterKeyId": "alias/aws/sns"})),
              'AWS-managed alias/aws/sns')
