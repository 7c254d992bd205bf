"""aws-sagemaker-model-enable-network-isolation: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-sagemaker-model-enable-network-isolation"
TYPE = "aws:sagemaker/model:Model"


def test_isolated_model_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_model_with_network_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"enableNetworkIsolation": False})),
              '`enableNetworkIsolation` is False')
