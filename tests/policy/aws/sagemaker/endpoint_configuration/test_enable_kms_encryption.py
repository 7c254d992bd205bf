"""aws-sagemaker-endpoint-configuration-enable-kms-encryption: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-sagemaker-endpoint-configuration-enable-kms-encryption"
TYPE = "aws:sagemaker/endpointConfiguration:EndpointConfiguration"


def test_endpoint_with_key_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_endpoint_without_key_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"kmsKeyArn": fx.DELETE})),
              '`kmsKeyArn` is not set')
