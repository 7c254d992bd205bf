"""One function for every Personalize call of the workflow: `{"action": ..., ...}` in, a small JSON out.

Personalize is called from Lambda (boto3), not from `aws-sdk:personalize:*` tasks: Step Functions expects those
parameters in PascalCase, moto in camelCase, so one definition could not run in both (reference/predictive.md).
"""
from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, Field, TypeAdapter

from . import jobs
from .settings import settings

logger = Logger()
tracer = Tracer()
RUN_ID = r"^\d{8}T\d{6}Z$"
ARN = r"^arn:aws[a-z-]*:personalize:[a-z0-9-]+:\d{12}:[a-z-]+/.+$"
S3 = r"^s3://[a-z0-9.\-]{3,63}/.+$"


class StartImport(BaseModel):
    action: Literal["start_import"]
    run_id: str = Field(pattern=RUN_ID)
    location: str = Field(pattern=S3)


class Describe(BaseModel):
    action: Literal["describe_training", "describe_batch"]
    arn: str = Field(pattern=ARN)


class DescribeImports(BaseModel):
    action: Literal["describe_import"]
    arns: list[Annotated[str, Field(pattern=ARN)]] = Field(min_length=1, max_length=3)


class PlanTraining(BaseModel):
    action: Literal["plan_training"]


class StartTraining(BaseModel):
    action: Literal["start_training"]
    run_id: str = Field(pattern=RUN_ID)
    solution_arn: str = Field(pattern=ARN)


class Compare(BaseModel):
    action: Literal["compare_and_promote"]
    candidate_arn: str = Field(pattern=ARN)


class StartBatch(BaseModel):
    action: Literal["start_batch"]
    run_id: str = Field(pattern=RUN_ID)
    model_version: str = Field(pattern=ARN)
    input_location: str = Field(pattern=S3)
    output_location: str = Field(pattern=S3)


Request = TypeAdapter(Annotated[Union[StartImport, Describe, DescribeImports, PlanTraining, StartTraining, Compare,
                                      StartBatch],
                                Field(discriminator="action")])


def dispatch(request: BaseModel) -> dict[str, Any]:
    config = settings()
    match request:
        case StartImport():
            return jobs.start_import(config, request.run_id, request.location)
        case DescribeImports():
            return jobs.describe_import(request.arns)
        case Describe(action="describe_training"):
            return jobs.describe_training(request.arn)
        case Describe():
            return jobs.describe_batch(request.arn)
        case PlanTraining():
            return jobs.plan_training(config)
        case StartTraining():
            return jobs.start_training(config, request.solution_arn, request.run_id)
        case Compare():
            return jobs.compare_and_promote(config, request.candidate_arn)
        case StartBatch():
            return jobs.start_batch(config, request.run_id, request.model_version, request.input_location,
                                    request.output_location)
    raise ValueError(f"unhandled request {request!r}")  # the discriminator makes this unreachable


@tracer.capture_lambda_handler
@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    request = Request.validate_python(event)
    logger.append_keys(action=request.action)
    result = dispatch(request)
    logger.info("personalize step done", extra={"result": result})
    return result
