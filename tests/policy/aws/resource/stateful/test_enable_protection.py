"""aws-resource-stateful-enable-protection: prod data cannot be deleted by a destroy or a replacement."""
import pytest

POLICY = "aws-resource-stateful-enable-protection"
PROD = {"tags": {"environment": "prod"}}


@pytest.mark.parametrize("resource_type", ["aws:dynamodb/table:Table", "aws:kms/key:Key",
                                           "aws:secretsmanager/secret:Secret", "aws:s3/bucket:Bucket"])
def test_unprotected_prod_resource_is_violation(run_rule, make, violation, resource_type):
    violation(run_rule(POLICY, make(resource_type, PROD)), "tagged prod but not protected")


def test_protected_prod_table_is_compliant(run_rule, make):
    assert run_rule(POLICY, make("aws:dynamodb/table:Table", PROD, protect=True)) == []


def test_dev_table_need_not_be_protected(run_rule, make):
    assert run_rule(POLICY, make("aws:dynamodb/table:Table", {"tags": {"environment": "dev"}})) == []


def test_exemption_does_not_unprotect_prod(run_rule, make, violation):
    config = {"exemptions": [{"name": "*", "reason": "copied from the dev policy config by mistake"}]}
    violation(run_rule(POLICY, make("aws:kms/key:Key", PROD), config=config), "not protected")
