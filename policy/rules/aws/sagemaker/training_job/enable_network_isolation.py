"""SageMaker training jobs run with network isolation."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy
from rules.aws.sagemaker.training_job._settings import TYPES, jobs

META = RuleMeta(
    id="SAGEMAKER-006", pillar=Pillar.SECURITY, severity=Severity.MEDIUM,
    description="SageMaker training jobs set `EnableNetworkIsolation`, so the training container, which reads "
                "customer data, cannot send it anywhere; SageMaker still fetches the input channels and stores "
                "the model for it.",
    remediation="Set EnableNetworkIsolation=True and pass the training code as an input channel (script mode "
                "with sagemaker_submit_directory under /opt/ml/input/data/code).",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC05-BP01",
    url="https://docs.aws.amazon.com/sagemaker/latest/dg/mkt-algo-model-internet-free.html")


def check(props, _config, resource_type):
    for label, get in jobs(props, resource_type):
        if get("EnableNetworkIsolation") is not True:
            yield f"{label} does not set `EnableNetworkIsolation` to true."


POLICY = resource_policy(__name__, META, TYPES, check)
