"""Training-job settings as pulumi-aws's TrainingJob resource or a state machine's CreateTrainingJob task states them."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rules._framework import get_path
from rules.aws.sfn._definitions import STATE_MACHINE, calls, parameter

TRAINING_JOB = "aws:sagemaker/trainingJob:TrainingJob"
TYPES = (TRAINING_JOB, STATE_MACHINE)
# API path (CreateTrainingJob, PascalCase) -> the pulumi-aws input (camelCase)
RESOURCE_PATHS = {"OutputDataConfig.KmsKeyId": "outputDataConfig.kmsKeyId",
                  "ResourceConfig.VolumeKmsKeyId": "resourceConfig.volumeKmsKeyId",
                  "EnableNetworkIsolation": "enableNetworkIsolation",
                  "StoppingCondition.MaxRuntimeInSeconds": "stoppingCondition.maxRuntimeInSeconds"}


def jobs(props: Any, resource_type: str) -> Iterator[tuple[str, Any]]:
    """(label, getter) per training job: the getter reads an API path such as `OutputDataConfig.KmsKeyId`."""
    if resource_type == TRAINING_JOB:
        yield "the training job", lambda path: get_path(props, RESOURCE_PATHS[path])
        return
    for name, parameters in calls(props, "sagemaker:createTrainingJob"):
        yield f"task {name!r}", lambda path, p=parameters: parameter(p, path)
