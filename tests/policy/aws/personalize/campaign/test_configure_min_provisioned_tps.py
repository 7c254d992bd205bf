"""aws-personalize-campaign-configure-min-provisioned-tps (aws-native type)."""
POLICY = "aws-personalize-campaign-configure-min-provisioned-tps"
TYPE = "aws-native:personalize:Campaign"


def test_one_tps_campaign_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_fifty_tps_campaign_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"minProvisionedTps": 50})), "`minProvisionedTps` is 50; at most 5")


def test_maximum_is_configurable(run_rule, make):
    assert run_rule(POLICY, make(TYPE, {"minProvisionedTps": 50}), config={"maximumTps": 50}) == []
