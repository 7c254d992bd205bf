"""SageMaker models pin their container image version."""
import re

from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy

# `:latest`, no tag at all, and the bare major tag `:1` that SageMaker maps to legacy first-party images
# (the seed's XGBoost 0.72) all mean "whatever the registry holds today".
_FLOATING = re.compile(r"(:latest|:\d+)$")

META = RuleMeta(
    id="SAGEMAKER-008", pillar=Pillar.RELIABILITY, severity=Severity.MEDIUM,
    description="SageMaker models name their container image with an explicit version tag (such as "
                "`sagemaker-xgboost:3.0-5`) or a digest, never `:latest`, a bare major version or no tag, so "
                "a model is served by the framework version it was trained and tested with.",
    remediation="Use the versioned image URI for the region (e.g. `<account>.dkr.ecr.<region>.amazonaws.com/"
                "sagemaker-xgboost:3.0-5`) and train locally with the same framework version.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="REL08-BP01",
    url="https://docs.aws.amazon.com/sagemaker/latest/dg/xgboost-previous-versions.html")


def check(props, _config):
    containers = [props.get("primaryContainer") or {}, *(props.get("containers") or [])]
    for container in containers:
        image = container.get("image")
        if not isinstance(image, str) or not image:
            continue
        name = image.rsplit("/", 1)[-1]
        if "@sha256:" in image:
            continue
        if ":" not in name or _FLOATING.search(name):
            yield f"image {image!r} has no pinned version tag."


POLICY = resource_policy(__name__, META, ["aws:sagemaker/model:Model"], check)
