"""Personalize datasets are not filled by a deploy-time import job (pulumi-aws-native's `datasetImportJob`)."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, get_path, resource_policy

META = RuleMeta(
    id="PERSONALIZE-004", pillar=Pillar.RELIABILITY, severity=Severity.MEDIUM,
    description="Amazon Personalize datasets leave `datasetImportJob` unset: an import started by the deployment "
                "runs once, outside any retry, bounded wait, alarm or data-sufficiency check, and a failed import "
                "fails or stalls the deployment instead of a monitored run.",
    remediation="Import from the scheduled workflow (CreateDatasetImportJob with a bounded poll, as "
                "components/predictive_engagement does) and drop dataset_import_job from the Dataset.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="REL05-BP03",
    url="https://docs.aws.amazon.com/personalize/latest/dg/bulk-data-import-step.html")


def check(props, _config):
    if get_path(props, "datasetImportJob"):
        yield "`datasetImportJob` is set; the dataset is imported at deploy time instead of by a monitored run."


POLICY = resource_policy(__name__, META, ["aws-native:personalize:Dataset"], check)
