"""SageMaker notebook instances reach the internet only through the VPC."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy

META = RuleMeta(
    id="SAGEMAKER-001", pillar=Pillar.SECURITY, severity=Severity.HIGH,
    description="SageMaker notebook instances run in a VPC subnet with `directInternetAccess` Disabled, root "
                "access Disabled and a KMS key for the storage volume, so data leaves only through controlled "
                "routes.",
    remediation="Set subnet_id and security_groups, direct_internet_access='Disabled', root_access='Disabled' "
                "and kms_key_id=key.arn.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC05-BP01",
    url="https://docs.aws.amazon.com/sagemaker/latest/dg/appendix-notebook-and-internet-access.html")


def check(props, _config):
    # The provider defaults both access settings to Enabled, so absent is a violation.
    for setting in ("directInternetAccess", "rootAccess"):
        if props.get(setting, "Enabled") != "Disabled":
            yield f"`{setting}` is {props.get(setting, 'Enabled')!r}; expected 'Disabled'."
    if not props.get("subnetId"):
        yield "`subnetId` is not set; the notebook is outside any VPC."
    if not props.get("kmsKeyId"):
        yield "`kmsKeyId` is not set; the notebook volume uses the AWS-managed key."


POLICY = resource_policy(__name__, META, ["aws:sagemaker/notebookInstance:NotebookInstance"], check)
