"""aws-personalize-dataset-disallow-deploy-time-import (aws-native type)."""
POLICY = "aws-personalize-dataset-disallow-deploy-time-import"
TYPE = "aws-native:personalize:Dataset"


def test_dataset_without_import_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_dataset_importing_at_deploy_time_is_violation(run_rule, make, violation):
    job = {"jobName": "initial", "dataSource": {"dataLocation": "s3://data-bucket/interactions/"},
           "roleArn": "arn:aws:iam::123456789012:role/personalize"}
    violation(run_rule(POLICY, make(TYPE, {"datasetImportJob": job})), "`datasetImportJob` is set")
