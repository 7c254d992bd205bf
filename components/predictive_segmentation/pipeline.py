"""The scoring and retraining state machine, as a plain ASL dict (no Pulumi), built from components.asl.

    Prepare -> NeedsTraining? --no--> UseCurrentModel -> Features (Athena UNLOAD, bounded poll)
                  | yes                  -> ScoringQueries (prepare Lambda) -> Companion, Drift (Athena UNLOADs
                  |                         of what Score reads from the feature rows, bounded polls)
                  |                      -> Transform (SageMaker batch transform, bounded poll)
                  v                      -> Score -> Publish -> [CustomerProfiles] -> Summary -> Done
      TrainingFeatures (Athena) -> Train (SageMaker training job, bounded poll) -> Gate (promote Lambda)
      -> Promoted? --no--> QualityGateRefused (Fail; the previous model stays active)
           | yes -> CreateModel -> Activate -> UseNewModel -> (mode retrain: Done | mode score: Features ...)

A daily schedule starts it with {"mode": "score"}; the optional retraining schedule with {"mode": "retrain"}; a
scoring run with no model yet trains first (through the same gate). Every job is request-response + bounded
polling, so the same definition runs in AWS and in moto; every terminal status fails the execution with its own
error name, which the workflow's alarms report.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from components import asl

P = "$.plan.Payload"


@dataclass(frozen=True)
class PipelineResources:
    prepare_function: str
    postprocess_function: str
    promote_function: str
    workgroup: str
    database: str
    image: str
    """The pinned SageMaker XGBoost framework image (training and inference)."""
    model_role_arn: str
    training_role_arn: str
    kms_key_arn: str
    code_uri: str
    """s3://.../sourcedir.tar.gz of training/ + contracts/ (script mode, passed as an input channel)."""
    hyperparameters: dict[str, str]
    customer_profiles: bool = False


@dataclass(frozen=True)
class PipelineTimings:
    athena_poll_seconds: int = 15
    athena_max_polls: int = 240            # 1 hour
    transform_poll_seconds: int = 60
    transform_max_polls: int = 180         # 3 hours
    training_poll_seconds: int = 60
    training_max_polls: int = 180
    training_max_runtime_seconds: int = 3 * 3600
    lambda_timeout_seconds: int = 900
    transform_instance_type: str = "ml.m5.large"
    transform_instance_count: int = 1
    training_instance_type: str = "ml.m5.xlarge"

    @property
    def execution_timeout_seconds(self) -> int:
        """Every wait of one execution added up, plus an hour for the Lambda steps and retries."""
        waits = (4 * self.athena_poll_seconds * self.athena_max_polls
                 + self.transform_poll_seconds * self.transform_max_polls
                 + self.training_poll_seconds * self.training_max_polls)
        return waits + 6 * self.lambda_timeout_seconds + 3600


def hyperparameters(settings: Any) -> dict[str, str]:
    """The training program's options (training/churn/train.py) from the stack settings, in AWS and locally."""
    return {"feature-spec": json.dumps(settings.feature_spec().to_json(), separators=(",", ":")),
            "threshold-strategy": settings.threshold_strategy,
            "threshold-target": str(settings.threshold_target_percent / 100),
            "top-k-fraction": str(settings.top_k_percent / 100),
            "minimum-pr-auc": str(settings.minimum_pr_auc_percent / 100),
            "minimum-positives": str(settings.minimum_positives),
            "minimum-negatives": str(settings.minimum_negatives)}


def _hyperparameters(values: dict[str, str]) -> dict[str, Any]:
    # The SageMaker training toolkit JSON-decodes each value before handing it to the script, as the SageMaker
    # SDK JSON-encodes them; encode the same way so text (the feature spec JSON) arrives unchanged.
    encoded: dict[str, Any] = {key: json.dumps(value) for key, value in values.items()}
    encoded["sagemaker_program"] = json.dumps("train.py")
    encoded["sagemaker_submit_directory"] = json.dumps("/opt/ml/input/data/code/sourcedir.tar.gz")
    encoded["model-version.$"] = f"{P}.model_version"
    return encoded


def _job_poll(prefix: str, job: str, name_path: str, state_path: str, next_state: str, poll_seconds: int,
              max_polls: int) -> asl.Fragment:
    """Bounded poll of a SageMaker `job` ("TrainingJob", "TransformJob"); on timeout the job is stopped."""
    name = {f"{job}Name.$": name_path}
    return asl.bounded_poll(
        prefix, describe_resource=f"arn:aws:states:::aws-sdk:sagemaker:describe{job}", describe_parameters=name,
        status_path=f"$.{job}Status", succeeded=["Completed"], failed=["Failed", "Stopped"],
        running=["InProgress", "Stopping"], state_path=state_path, next_state=next_state,
        poll_seconds=poll_seconds, max_polls=max_polls, retry_errors=asl.SAGEMAKER_TRANSIENT_ERRORS,
        stop_resource=f"arn:aws:states:::aws-sdk:sagemaker:stop{job}", stop_parameters=name)


def training_states(r: PipelineResources, t: PipelineTimings) -> dict[str, asl.State]:
    features = asl.athena_query("TrainingFeatures", query_path=f"{P}.training_query", workgroup=r.workgroup,
                                database=r.database, state_path="$.training_features", next_state="Train",
                                poll_seconds=t.athena_poll_seconds, max_polls=t.athena_max_polls)
    train = asl.task("arn:aws:states:::sagemaker:createTrainingJob", {
        "TrainingJobName.$": f"{P}.training_job", "RoleArn": r.training_role_arn,
        "AlgorithmSpecification": {"TrainingImage": r.image, "TrainingInputMode": "File"},
        "HyperParameters": _hyperparameters(r.hyperparameters),
        "InputDataConfig": [
            {"ChannelName": "train", "ContentType": "application/jsonlines", "DataSource": {"S3DataSource": {
                "S3DataType": "S3Prefix", "S3Uri.$": f"{P}.training_uri", "S3DataDistributionType": "FullyReplicated"}}},
            {"ChannelName": "code", "DataSource": {"S3DataSource": {
                "S3DataType": "S3Prefix", "S3Uri": r.code_uri, "S3DataDistributionType": "FullyReplicated"}}}],
        "OutputDataConfig": {"S3OutputPath.$": f"{P}.candidates_uri", "KmsKeyId": r.kms_key_arn},
        "ResourceConfig": {"InstanceType": t.training_instance_type, "InstanceCount": 1, "VolumeSizeInGB": 10,
                           "VolumeKmsKeyId": r.kms_key_arn},
        "StoppingCondition": {"MaxRuntimeInSeconds": t.training_max_runtime_seconds},
        "EnableNetworkIsolation": True, "EnableInterContainerTrafficEncryption": True,
    }, "TrainPollInit", result_path=None, retry_errors=asl.SAGEMAKER_TRANSIENT_ERRORS)
    poll = _job_poll("Train", "TrainingJob", f"{P}.training_job", "$.training", "Gate", t.training_poll_seconds,
                     t.training_max_polls)
    return {
        **features.states, "Train": train, **poll.states,
        "Gate": asl.lambda_task(r.promote_function, "Promoted", payload={"action": "gate", "plan.$": P},
                                result_path="$.promotion", timeout_seconds=300),
        "Promoted": {"Type": "Choice", "Choices": [
            {"Variable": "$.promotion.Payload.promoted", "BooleanEquals": True, "Next": "CreateModel"}],
            "Default": "QualityGateRefused"},
        "QualityGateRefused": asl.fail("QualityGateRefused", cause_path="States.JsonToString($.promotion.Payload)"),
        "CreateModel": asl.task("arn:aws:states:::sagemaker:createModel", {
            "ModelName.$": "$.promotion.Payload.model_name", "ExecutionRoleArn": r.model_role_arn,
            "EnableNetworkIsolation": True,
            "PrimaryContainer": {"Image": r.image, "ModelDataUrl.$": "$.promotion.Payload.model_data_url",
                                 "Environment": {"SAGEMAKER_PROGRAM": "inference.py",
                                                 "SAGEMAKER_SUBMIT_DIRECTORY": "/opt/ml/model/code",
                                                 "SAGEMAKER_CONTAINER_LOG_LEVEL": "20"}}},
            "Activate", result_path=None, retry_errors=asl.SAGEMAKER_TRANSIENT_ERRORS),
        "Activate": asl.lambda_task(r.promote_function, "UseNewModel",
                                    payload={"action": "activate", "plan": {
                                        "training_job.$": f"{P}.training_job",
                                        "model_version.$": "$.promotion.Payload.model_version"}},
                                    result_path="$.activation", timeout_seconds=120),
        "UseNewModel": {"Type": "Pass", "ResultPath": "$.model",
                        "Parameters": {"name.$": "$.activation.Payload.sagemaker_model"}, "Next": "AfterTraining"},
        "AfterTraining": {"Type": "Choice", "Choices": [
            {"Variable": f"{P}.mode", "StringEquals": "retrain", "Next": "Done"}], "Default": "FeaturesStart"},
    }


def scoring_states(r: PipelineResources, t: PipelineTimings) -> dict[str, asl.State]:
    features = asl.athena_query("Features", query_path=f"{P}.feature_query", workgroup=r.workgroup,
                                database=r.database, state_path="$.features", next_state="ScoringQueries",
                                poll_seconds=t.athena_poll_seconds, max_polls=t.athena_max_polls)
    # What the Score step reads besides the transform output, unloaded from the feature rows by Athena
    # (contracts/churn_scoring_inputs): a narrow companion and the drift histogram of the run's model.
    queries = "$.scoring_queries.Payload"
    companion = asl.athena_query("Companion", query_path=f"{queries}.companion_query", workgroup=r.workgroup,
                                 database=r.database, state_path="$.companion", next_state="DriftStart",
                                 poll_seconds=t.athena_poll_seconds, max_polls=t.athena_max_polls)
    drift = asl.athena_query("Drift", query_path=f"{queries}.drift_query", workgroup=r.workgroup,
                             database=r.database, state_path="$.drift", next_state="Transform",
                             poll_seconds=t.athena_poll_seconds, max_polls=t.athena_max_polls)
    transform = asl.task("arn:aws:states:::sagemaker:createTransformJob", {
        "TransformJobName.$": f"{P}.transform_job", "ModelName.$": "$.model.name",
        "BatchStrategy": "MultiRecord", "MaxPayloadInMB": 6,
        "ModelClientConfig": {"InvocationsTimeoutInSeconds": 600, "InvocationsMaxRetries": 2},
        "TransformInput": {"ContentType": "application/jsonlines", "SplitType": "Line", "CompressionType": "Gzip",
                           "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri.$": f"{P}.features_uri"}}},
        "TransformOutput": {"S3OutputPath.$": f"{P}.transform_uri", "Accept": "text/csv", "AssembleWith": "Line",
                            "KmsKeyId": r.kms_key_arn},
        "TransformResources": {"InstanceType": t.transform_instance_type, "InstanceCount": t.transform_instance_count,
                               "VolumeKmsKeyId": r.kms_key_arn},
    }, "TransformPollInit", result_path=None, retry_errors=asl.SAGEMAKER_TRANSIENT_ERRORS)
    poll = _job_poll("Transform", "TransformJob", f"{P}.transform_job", "$.transform", "Score",
                     t.transform_poll_seconds, t.transform_max_polls)
    after_publish = "CustomerProfiles" if r.customer_profiles else "Summary"
    states = {
        **features.states,
        "ScoringQueries": asl.lambda_task(r.prepare_function, companion.start, payload={
            "action": "scoring_queries", "plan.$": P}, result_path="$.scoring_queries", timeout_seconds=120),
        **companion.states, **drift.states, "Transform": transform, **poll.states,
        "Score": asl.lambda_task(r.postprocess_function, "Publish", payload={"action": "score", "plan.$": P},
                                 result_path="$.score", timeout_seconds=t.lambda_timeout_seconds),
        "Publish": asl.lambda_task(r.postprocess_function, after_publish, payload={"action": "publish", "plan.$": P},
                                   result_path="$.publish", timeout_seconds=t.lambda_timeout_seconds),
        "Summary": asl.lambda_task(r.postprocess_function, "Done", payload={
            "action": "summary", "plan.$": P, "summary.$": "$.score.Payload"}, result_path="$.summary",
            timeout_seconds=120),
        "Done": {"Type": "Succeed"},
    }
    if r.customer_profiles:
        states["CustomerProfiles"] = asl.lambda_task(
            r.postprocess_function, "Summary", payload={"action": "customer_profiles", "plan.$": P},
            result_path="$.customer_profiles", timeout_seconds=t.lambda_timeout_seconds)
    return states


def definition(r: PipelineResources, t: PipelineTimings = PipelineTimings()) -> dict[str, Any]:
    states: dict[str, asl.State] = {
        "Prepare": asl.lambda_task(r.prepare_function, "NeedsTraining", payload={
            "request.$": "$", "execution.$": "$$.Execution.Name"}, result_path="$.plan", timeout_seconds=300),
        "NeedsTraining": {"Type": "Choice", "Choices": [
            {"Variable": f"{P}.needs_training", "BooleanEquals": True, "Next": "TrainingFeaturesStart"}],
            "Default": "UseCurrentModel"},
        "UseCurrentModel": {"Type": "Pass", "ResultPath": "$.model", "Parameters": {"name.$": f"{P}.model_name"},
                            "Next": "FeaturesStart"},
        **training_states(r, t), **scoring_states(r, t),
    }
    return asl.definition("Predictive segmentation: daily churn scoring, with retraining through the quality gate",
                          "Prepare", states, t.execution_timeout_seconds)
