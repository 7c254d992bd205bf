"""aws-athena-workgroup-configure-bytes-scanned-cutoff: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-athena-workgroup-configure-bytes-scanned-cutoff"
TYPE = "aws:athena/workgroup:Workgroup"


def test_ten_gib_cutoff_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_missing_cutoff_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"configuration.bytesScannedCutoffPerQuery": fx.DELETE})),
              '`configuration.bytesScannedCutoffPerQuery` is not set')


def test_cutoff_above_configured_maximum_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE), config={'maximumBytes': 1073741824}),
              '`bytesScannedCutoffPerQuery` is 10737418240 bytes; the maximum is 1073741824')
