"""SageMaker training jobs stop after a bounded run time."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy
from rules.aws.sagemaker.training_job._settings import TYPES, jobs

META = RuleMeta(
    id="SAGEMAKER-007", pillar=Pillar.COST_OPTIMIZATION, severity=Severity.MEDIUM,
    description="SageMaker training jobs set `StoppingCondition.MaxRuntimeInSeconds` no higher than "
                "`maximumSeconds`, so a job that hangs is stopped (and billed) within a known bound.",
    remediation="Set StoppingCondition={'MaxRuntimeInSeconds': 3600} (or the time the training really needs).",
    default_level=EnforcementLevel.ADVISORY, wa_reference="COST09-BP03",
    url="https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_StoppingCondition.html",
    settings={"maximumSeconds": {"type": "integer", "minimum": 60, "default": 86400}})


def check(props, config, resource_type):
    for label, get in jobs(props, resource_type):
        limit = get("StoppingCondition.MaxRuntimeInSeconds")
        if limit is None:
            yield f"{label} has no `StoppingCondition.MaxRuntimeInSeconds`."
        elif isinstance(limit, (int, float)) and limit > config["maximumSeconds"]:
            yield f"{label} may run {limit:.0f} s; the maximum is {config['maximumSeconds']}."


POLICY = resource_policy(__name__, META, TYPES, check)
