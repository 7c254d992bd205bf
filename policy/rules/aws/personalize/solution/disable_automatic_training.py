"""No Personalize Solution through pulumi-aws-native: it cannot turn off automatic (weekly, billed) training."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy

META = RuleMeta(
    id="PERSONALIZE-002", pillar=Pillar.COST_OPTIMIZATION, severity=Severity.HIGH,
    description="Amazon Personalize solutions are not declared with pulumi-aws-native's Solution, whose inputs "
                "cannot set `performAutoTraining` (1.84.0); the API then defaults to a new, billed training every "
                "7 days on top of any training a workflow starts.",
    remediation="Create the solution where performAutoTraining=False can be passed (CreateSolution from the "
                "workflow, as components/predictive_engagement does) and train on your own cadence; or exempt the "
                "resource with the reason that weekly retraining is wanted.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="COST09-BP03",
    url="https://docs.aws.amazon.com/personalize/latest/dg/solution-config-auto-training.html")


def check(props, _config):
    if props.get("performAutoTraining") is not False:
        yield ("the solution trains automatically every 7 days (aws-native cannot set `performAutoTraining`: "
               "false), a training bill no config shows.")


POLICY = resource_policy(__name__, META, ["aws-native:personalize:Solution"], check)
