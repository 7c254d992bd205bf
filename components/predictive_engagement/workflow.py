"""The scheduled run: export -> sufficiency -> import -> (train on cadence -> compare) -> batch inference -> write.

Built from the shared ASL blocks (components/asl.py): every Personalize call is a Lambda task (boto3; see
functions/predictive_engagement_personalize), every job is waited for by a bounded poll whose FAILED status and
timeout each end in their own Fail state, and the execution itself has a 24-hour bound. Poll intervals are
arguments so tests run the same definition in seconds.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import asl

STATUS = {"succeeded": ["SUCCEEDED"], "failed": ["FAILED"], "running": ["RUNNING"]}
SOLUTION_NOT_READY = "SolutionNotReady"


@dataclass(frozen=True)
class Timing:
    """Seconds between polls and the most polls, per job: the worst-case wait is their product."""

    export_poll: int = 10
    export_polls: int = 180       # 30 min (the workgroup's scan cutoff bounds the query first)
    import_poll: int = 60
    import_polls: int = 240       # 4 h
    training_poll: int = 300
    training_polls: int = 144     # 12 h
    batch_poll: int = 120
    batch_polls: int = 180        # 6 h
    execution_timeout: int = 24 * 3600


def _lambda_poll(prefix: str, function: Any, action: str, arn_path: str, state_path: str, next_state: str,
                 poll_seconds: int, max_polls: int, arn_key: str = "arn") -> asl.Fragment:
    return asl.bounded_poll(
        prefix, describe_resource="arn:aws:states:::lambda:invoke",
        describe_parameters={"FunctionName": function, "Payload": {"action": action, f"{arn_key}.$": arn_path}},
        status_path="$.Payload.status", state_path=state_path, next_state=next_state, poll_seconds=poll_seconds,
        max_polls=max_polls, retry_errors=asl.LAMBDA_TRANSIENT_ERRORS, **STATUS)


def definition(export_fn: Any, personalize_fn: Any, writer_fn: Any, workgroup: Any, database: Any,
               timing: Timing = Timing()) -> dict[str, Any]:
    run_id = "$.plan.Payload.run_id"
    export = asl.athena_query("Export", query_path="$.plan.Payload.unload_query", workgroup=workgroup,
                              database=database, state_path="$.export", next_state="Convert",
                              poll_seconds=timing.export_poll, max_polls=timing.export_polls)
    imported = _lambda_poll("Import", personalize_fn, "describe_import", "$.import.Payload.job_arns", "$.import",
                            "PlanTraining", timing.import_poll, timing.import_polls, arn_key="arns")
    trained = _lambda_poll("Training", personalize_fn, "describe_training",
                           "$.training.Payload.solution_version_arn", "$.training", "Compare",
                           timing.training_poll, timing.training_polls)
    batch = _lambda_poll("Batch", personalize_fn, "describe_batch", "$.batch.Payload.job_arn", "$.batch", "Write",
                         timing.batch_poll, timing.batch_polls)
    start_training = asl.lambda_task(personalize_fn, "TrainingPollInit", result_path="$.training", payload={
        "action": "start_training", "run_id.$": run_id, "solution_arn.$": "$.training_plan.Payload.solution_arn"})
    # A solution created this run is ACTIVE within minutes; until then the step is retried, bounded.
    start_training["Retry"].insert(0, {"ErrorEquals": [SOLUTION_NOT_READY], "IntervalSeconds": 30,
                                       "MaxAttempts": 20, "BackoffRate": 1.2, "MaxDelaySeconds": 120})
    states: dict[str, asl.State] = {
        "Plan": asl.lambda_task(export_fn, export.start, result_path="$.plan", payload={
            "action": "plan", "scheduled_time.$": "$$.Execution.StartTime"}),
        **export.states,
        "Convert": asl.lambda_task(export_fn, "EnoughData", result_path="$.convert", payload={
            "action": "convert", "run_id.$": run_id, "unload_prefix.$": "$.plan.Payload.unload_prefix"}),
        "EnoughData": {"Type": "Choice", "Choices": [
            {"Variable": "$.convert.Payload.sufficient", "BooleanEquals": True, "Next": "Import"}],
            "Default": "NotEnoughInteractions"},
        "NotEnoughInteractions": asl.fail("NotEnoughInteractions", cause_path="$.convert.Payload.message"),
        "Import": asl.lambda_task(personalize_fn, imported.start, result_path="$.import", payload={
            "action": "start_import", "run_id.$": run_id,
            "location.$": "$.convert.Payload.interactions_location"}),
        **imported.states,
        "PlanTraining": asl.lambda_task(personalize_fn, "TrainThisRun", result_path="$.training_plan",
                                        payload={"action": "plan_training"}),
        "TrainThisRun": {"Type": "Choice", "Choices": [
            {"Variable": "$.training_plan.Payload.train", "BooleanEquals": True, "Next": "StartTraining"}],
            "Default": "KeepCurrentModel"},
        "KeepCurrentModel": {"Type": "Pass", "ResultPath": "$.model", "Next": "StartBatch", "Parameters": {
            "Payload": {"model_version.$": "$.training_plan.Payload.current_version", "promoted": False,
                        "reason.$": "$.training_plan.Payload.reason"}}},
        "StartTraining": start_training,
        **trained.states,
        "Compare": asl.lambda_task(personalize_fn, "StartBatch", result_path="$.model", payload={
            "action": "compare_and_promote", "candidate_arn.$": "$.training.Payload.solution_version_arn"}),
        "StartBatch": asl.lambda_task(personalize_fn, batch.start, result_path="$.batch", payload={
            "action": "start_batch", "run_id.$": run_id, "model_version.$": "$.model.Payload.model_version",
            "input_location.$": "$.convert.Payload.batch_input_location",
            "output_location.$": "$.convert.Payload.batch_output_location"}),
        **batch.states,
        "Write": asl.lambda_task(writer_fn, None, result_path="$.write", payload={
            "run_id.$": run_id, "model_version.$": "$.model.Payload.model_version",
            "batch_input_location.$": "$.convert.Payload.batch_input_location",
            "batch_output_location.$": "$.convert.Payload.batch_output_location"}),
    }
    return asl.definition("Predictive user engagement: Personalize recommendations onto every profile", "Plan",
                          states, timing.execution_timeout)
