"""aws-athena-workgroup-enable-result-encryption: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-athena-workgroup-enable-result-encryption"
TYPE = "aws:athena/workgroup:Workgroup"


def test_sse_kms_results_are_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_sse_s3_results_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"configuration.resultConfiguration.encryptionConfiguration": {"encryptionOption": "SSE_S3"}})),
              "query results use encryption 'SSE_S3'")


def test_kms_without_key_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"configuration.resultConfiguration.encryptionConfiguration.kmsKeyArn": fx.DELETE})),
              'has no `kmsKeyArn`')
