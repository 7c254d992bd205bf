"""aws-personalize-solution-disable-automatic-training (aws-native type)."""
POLICY = "aws-personalize-solution-disable-automatic-training"
TYPE = "aws-native:personalize:Solution"


def test_solution_with_automatic_training_off_is_compliant(run_rule, make):
    # Only possible in a recording (aws-native 1.84.0 cannot send it); keeps the rule honest if it ever can.
    assert run_rule(POLICY, make(TYPE)) == []


def test_aws_native_solution_trains_every_week_and_is_violation(run_rule, make, violation, fx):
    violation(run_rule(POLICY, make(TYPE, {"performAutoTraining": fx.DELETE})), "trains automatically every 7 days")


def test_exempted_solution_is_not_applicable(run_rule, make, fx):
    config = {"exemptions": [{"name": "solution", "reason": "weekly retraining wanted by the team"}]}
    assert run_rule(POLICY, make(TYPE, {"performAutoTraining": fx.DELETE}), config=config) == []
