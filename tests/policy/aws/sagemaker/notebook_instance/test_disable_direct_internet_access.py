"""aws-sagemaker-notebook-instance-disable-direct-internet-access: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-sagemaker-notebook-instance-disable-direct-internet-access"
TYPE = "aws:sagemaker/notebookInstance:NotebookInstance"


def test_vpc_only_notebook_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_direct_internet_access_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"directInternetAccess": "Enabled"})),
              "`directInternetAccess` is 'Enabled'")


def test_default_root_access_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"rootAccess": fx.DELETE})),
              "`rootAccess` is 'Enabled'")
