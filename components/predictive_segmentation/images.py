"""The pinned SageMaker XGBoost framework container (training and inference, script mode).

3.0-5 is the newest version the SageMaker documentation lists ("versions 1.0, 1.2, 1.3, 1.5, 1.7 and 3.0"), and
xgboost-cpu==3.0.5 in requirements-dev.txt trains the same model format locally. The registry accounts are the
ones sagemaker-core's image_uri_config/xgboost.json lists for the `sagemaker-xgboost` repository; for another
region set engagement:predictiveSegmentationContainerImage to the URI SageMaker documents there.
"""
from __future__ import annotations

XGBOOST_VERSION = "3.0-5"
REGISTRY_ACCOUNTS = {
    "us-east-1": "683313688378", "us-east-2": "257758044811", "us-west-2": "246618743249",
    "eu-west-1": "141502667606", "eu-central-1": "492215442770",
}


def xgboost_image(region: str, override: str = "") -> str:
    if override:
        return override
    account = REGISTRY_ACCOUNTS.get(region)
    if account is None:
        raise ValueError(f"no known SageMaker XGBoost registry for {region}; set "
                         "engagement:predictiveSegmentationContainerImage to the image URI for that region")
    return f"{account}.dkr.ecr.{region}.amazonaws.com/sagemaker-xgboost:{XGBOOST_VERSION}"


def registry_account(image: str) -> str:
    return image.split(".", 1)[0]
