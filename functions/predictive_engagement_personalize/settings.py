"""Environment (parsed once) and AWS clients (created on first use, then reused across invocations)."""
from __future__ import annotations

import functools
import os
from typing import Any

from pydantic import BaseModel, Field

ARN = r"^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{12}:.+$"


class Settings(BaseModel):
    dataset_group_arn: str = Field(alias="DATASET_GROUP_ARN", pattern=ARN)
    interactions_dataset_arn: str = Field(alias="INTERACTIONS_DATASET_ARN", pattern=ARN)
    role_arn: str = Field(alias="PERSONALIZE_ROLE_ARN", pattern=ARN)
    kms_key_arn: str = Field(alias="KMS_KEY_ARN", pattern=ARN)
    name_prefix: str = Field(alias="NAME_PREFIX", pattern=r"^[a-zA-Z0-9][a-zA-Z0-9\-_]{0,30}$")
    recipe: str = Field(alias="RECIPE", pattern=r"^aws-[a-z0-9-]+$")
    items_dataset_arn: str = Field("", alias="ITEMS_DATASET_ARN")
    users_dataset_arn: str = Field("", alias="USERS_DATASET_ARN")
    filter_arn: str = Field("", alias="FILTER_ARN")
    campaign_arn: str = Field("", alias="CAMPAIGN_ARN")
    recommendation_count: int = Field(10, alias="RECOMMENDATION_COUNT", ge=1, le=500)
    training_interval_days: int = Field(7, alias="TRAINING_INTERVAL_DAYS", ge=0)
    promotion_margin_percent: float = Field(2, alias="PROMOTION_MARGIN_PERCENT", ge=0, le=50)
    bucket: str = Field(alias="WORK_BUCKET", min_length=3)
    state_key: str = Field("predictive-engagement/state/model.json", alias="STATE_KEY")

    @property
    def solution_name(self) -> str:
        # The recipe is part of the name: changing it in config makes a new solution instead of failing.
        return f"{self.name_prefix}-{self.recipe}"[:63]

    @property
    def recipe_arn(self) -> str:
        return f"arn:aws:personalize:::recipe/{self.recipe}"

    def arn(self, kind: str, name: str) -> str:
        """An ARN in the dataset group's partition, region and account (`dataset-import-job`, `solution`...)."""
        partition, region, account = self.dataset_group_arn.split(":")[1], *self.dataset_group_arn.split(":")[3:5]
        return f"arn:{partition}:personalize:{region}:{account}:{kind}/{name}"


@functools.cache
def settings() -> Settings:
    return Settings.model_validate(dict(os.environ))


@functools.cache
def client(service: str) -> Any:
    import boto3  # lazy: tests install stubs/moto first, and cold start stays small

    return boto3.client(service)


def reset() -> None:
    settings.cache_clear()
    client.cache_clear()
