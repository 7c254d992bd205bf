"""SageMaker models run with network isolation."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, value_policy

POLICY = value_policy(__name__, RuleMeta(
    id="SAGEMAKER-003", pillar=Pillar.SECURITY, severity=Severity.MEDIUM,
    description="SageMaker models enable network isolation, so inference containers (often third-party code) "
                "cannot make outbound calls with the customer data they receive.",
    remediation="Set enable_network_isolation=True on the aws.sagemaker.Model.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC05-BP01",
    url="https://docs.aws.amazon.com/sagemaker/latest/dg/mkt-algo-model-internet-free.html"),
    "aws:sagemaker/model:Model", "enableNetworkIsolation", [True], absent_is_violation=True)
