"""aws-sagemaker-model-disallow-latest-image: the compliant baseline, then one changed field per case."""
import pytest

POLICY = "aws-sagemaker-model-disallow-latest-image"
TYPE = "aws:sagemaker/model:Model"
REPO = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost"


def test_pinned_framework_version_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_digest_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE, {"primaryContainer.image": f"{REPO}@sha256:{'a' * 64}"})) == []


@pytest.mark.parametrize("image", [f"{REPO}:latest", f"{REPO}:1", REPO])
def test_floating_tag_is_violation(run_rule, make, violation, image):
    violation(run_rule(POLICY, make(TYPE, {"primaryContainer.image": image})), "has no pinned version tag")
