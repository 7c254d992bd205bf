"""aws-cloudwatch-event-bus-policy-disallow-public-principal: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-cloudwatch-event-bus-policy-disallow-public-principal"
TYPE = "aws:cloudwatch/eventBusPolicy:EventBusPolicy"


def test_org_conditioned_policy_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_unconditioned_star_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"policy": fx.doc({"Sid": "Open", "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"})})),
              "'Open' allows principal '*' unconditionally")
