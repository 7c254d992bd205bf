"""Amazon States Language building blocks as plain dicts (no Pulumi): tasks with retries, bounded polling.

Every long-running AWS job is driven the same way, because it runs unchanged in AWS and in moto's Step Functions
interpreter (which cannot run `.sync` integrations): a request-response call starts the job, then a loop of
Wait -> describe -> count -> Choice polls it. The loop is bounded by a counter (`States.MathAdd`), every terminal
status has its own Fail state, an unknown status fails instead of looping, and when the count runs out the job is
stopped before the execution fails. A `Fragment` is a group of states with its entry state; callers merge
fragments into one `definition(...)`.

    query = athena_query("Features", query_path="$.plan.feature_query", workgroup="wg",
                         state_path="$.features", next_state="Transform")
    machine = definition("Daily scoring", start_at=query.start, states={**query.states, ...})

State names are the fragment's prefix + a role (`FeaturesStart`, `FeaturesWait`, `FeaturesPoll`, `FeaturesCount`,
`FeaturesCheck`, `FeaturesFailed`, `FeaturesTimedOut`, ...), so an execution's history reads as the pipeline.
"""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

State = dict[str, Any]

# Errors worth retrying: the service was busy or briefly unavailable; anything else is a real failure.
LAMBDA_TRANSIENT_ERRORS = ("Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException",
                           "Lambda.TooManyRequestsException", "Lambda.Unknown")
ATHENA_TRANSIENT_ERRORS = ("Athena.TooManyRequestsException", "Athena.InternalServerException")
SAGEMAKER_TRANSIENT_ERRORS = ("SageMaker.ThrottlingException", "SageMaker.InternalFailure",
                              "SageMaker.ServiceUnavailable", "SageMaker.SageMakerException")
ANY_TIMEOUT = ("States.Timeout",)


@dataclass(frozen=True)
class Fragment:
    """States to merge into a definition, entered at `start`."""

    start: str
    states: dict[str, State] = field(default_factory=dict)


def retry(errors: Sequence[str], *, interval_seconds: int = 2, max_attempts: int = 3, backoff_rate: float = 2.0,
          max_delay_seconds: int = 60) -> State:
    """One Retry rule: exponential backoff with full jitter, capped, so retries never line up or run forever."""
    if not errors or max_attempts < 0:
        raise ValueError("retry needs error names and max_attempts >= 0")
    return {"ErrorEquals": list(errors), "IntervalSeconds": interval_seconds, "MaxAttempts": max_attempts,
            "BackoffRate": backoff_rate, "MaxDelaySeconds": max_delay_seconds, "JitterStrategy": "FULL"}


def task(resource: str, parameters: Mapping[str, Any], next_state: str | None, *, result_path: str | None,
         result_selector: Mapping[str, Any] | None = None, timeout_seconds: int = 60,
         retry_errors: Sequence[str] = (), max_attempts: int = 3, catch_to: str | None = None,
         comment: str = "") -> State:
    """A request-response Task (`next_state=None` ends the execution) with a timeout and transient retries."""
    state: State = {"Type": "Task", "Resource": resource, "Parameters": dict(parameters),
                    "TimeoutSeconds": timeout_seconds, "ResultPath": result_path}
    if comment:
        state["Comment"] = comment
    if result_selector is not None:
        state["ResultSelector"] = dict(result_selector)
    errors = [*retry_errors, *ANY_TIMEOUT]
    state["Retry"] = [retry(errors, max_attempts=max_attempts)]
    if catch_to:
        state["Catch"] = [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": catch_to}]
    if next_state is None:
        state["End"] = True
    else:
        state["Next"] = next_state
    return state


def lambda_task(function_arn: Any, next_state: str | None, *, payload: Mapping[str, Any] | None = None,
                result_path: str | None = "$.result", timeout_seconds: int = 900, max_attempts: int = 3,
                catch_to: str | None = None, comment: str = "") -> State:
    """Invoke a Lambda function synchronously; its return value lands at `<result_path>.Payload`.

    `payload` defaults to the whole state (`$`). Throttles and service faults are retried with backoff; an
    error the function raised is not (it would fail the same way again) unless `catch_to` handles it."""
    parameters: dict[str, Any] = {"FunctionName": function_arn}
    if payload is None:
        parameters["Payload.$"] = "$"
    else:
        parameters["Payload"] = dict(payload)
    return task("arn:aws:states:::lambda:invoke", parameters, next_state, result_path=result_path,
                result_selector={"Payload.$": "$.Payload"}, timeout_seconds=timeout_seconds,
                retry_errors=LAMBDA_TRANSIENT_ERRORS, max_attempts=max_attempts, catch_to=catch_to,
                comment=comment)


def fail(error: str, cause: str | None = None, cause_path: str | None = None) -> State:
    state: State = {"Type": "Fail", "Error": error}
    if cause_path:
        state["CausePath"] = cause_path
    elif cause:
        state["Cause"] = cause
    return state


def bounded_poll(prefix: str, *, describe_resource: str, describe_parameters: Mapping[str, Any], status_path: str,
                 succeeded: Sequence[str], failed: Sequence[str], running: Sequence[str], state_path: str,
                 next_state: str, poll_seconds: int, max_polls: int, retry_errors: Sequence[str] = (),
                 stop_resource: str | None = None, stop_parameters: Mapping[str, Any] | None = None) -> Fragment:
    """Poll a describe call until the job reaches a terminal status, at most `max_polls` times.

    The describe response is kept at `<state_path>.poll.last` (`status` = the value at `status_path`, `detail` =
    the whole response, the Fail cause); `<state_path>.poll.count` counts the polls. On success the poll leaves
    `{count, status}` at `<state_path>.poll` and goes to `next_state`. Every status in
    `failed` ends in `<prefix>Failed`, an unlisted status in `<prefix>UnexpectedStatus`, and running out of polls
    stops the job (`stop_resource`, when given) and ends in `<prefix>TimedOut`. The worst-case wait is
    `poll_seconds * max_polls`.
    """
    if poll_seconds < 1 or max_polls < 1:
        raise ValueError("poll_seconds and max_polls must be >= 1")
    if set(succeeded) & set(failed) or set(running) & (set(succeeded) | set(failed)):
        raise ValueError("a status can be only one of succeeded, failed, running")
    poll = f"{state_path}.poll"
    names = {role: f"{prefix}{role}" for role in ("PollInit", "Wait", "Poll", "Count", "Check", "Done", "Failed",
                                                  "UnexpectedStatus", "Stop", "TimedOut")}
    timeout_target = names["Stop"] if stop_resource else names["TimedOut"]
    states: dict[str, State] = {
        names["PollInit"]: {"Type": "Pass", "Result": {"count": 0}, "ResultPath": poll, "Next": names["Wait"]},
        names["Wait"]: {"Type": "Wait", "Seconds": poll_seconds, "Next": names["Poll"]},
        names["Poll"]: task(describe_resource, describe_parameters, names["Count"], result_path=f"{poll}.last",
                            result_selector={"status.$": status_path, "detail.$": "$"},
                            retry_errors=retry_errors, max_attempts=5),
        names["Count"]: {"Type": "Pass", "ResultPath": poll, "Next": names["Check"],
                         "Parameters": {"count.$": f"States.MathAdd({poll}.count, 1)", "last.$": f"{poll}.last"}},
        names["Check"]: {"Type": "Choice", "Choices": [
            *[{"Variable": f"{poll}.last.status", "StringEquals": s, "Next": names["Done"]} for s in succeeded],
            *[{"Variable": f"{poll}.last.status", "StringEquals": s, "Next": names["Failed"]} for s in failed],
            {"Variable": f"{poll}.count", "NumericGreaterThanEquals": max_polls, "Next": timeout_target},
            *[{"Variable": f"{poll}.last.status", "StringEquals": s, "Next": names["Wait"]} for s in running],
        ], "Default": names["UnexpectedStatus"]},
        # The describe response is only needed to explain a failure; it is dropped once the job succeeded.
        names["Done"]: {"Type": "Pass", "ResultPath": poll, "Next": next_state,
                        "Parameters": {"count.$": f"{poll}.count", "status.$": f"{poll}.last.status"}},
        names["Failed"]: fail(f"{prefix}Failed", cause_path=f"States.JsonToString({poll}.last.detail)"),
        names["UnexpectedStatus"]: fail(f"{prefix}UnexpectedStatus",
                                        cause_path=f"States.JsonToString({poll}.last.detail)"),
        names["TimedOut"]: fail(f"{prefix}TimedOut", cause=f"still running after {max_polls} polls "
                                                          f"{poll_seconds} s apart; the job was stopped"),
    }
    if stop_resource:
        states[names["Stop"]] = task(stop_resource, stop_parameters or {}, names["TimedOut"], result_path=None,
                                     retry_errors=retry_errors, catch_to=names["TimedOut"])
    return Fragment(names["PollInit"], states)


def athena_query(prefix: str, *, query_path: str, workgroup: Any, state_path: str, next_state: str,
                 poll_seconds: int = 5, max_polls: int = 360, database: Any = None) -> Fragment:
    """Run the Athena query whose text is at `query_path` (e.g. an UNLOAD) and wait for it, bounded.

    The query execution id is kept at `<state_path>.QueryExecutionId`. QUEUED/RUNNING poll again; SUCCEEDED
    continues to `next_state`; FAILED and CANCELLED end in `<prefix>Failed`; a query still running after
    `max_polls` polls is stopped (StopQueryExecution) and the execution ends in `<prefix>TimedOut`."""
    parameters: dict[str, Any] = {"QueryString.$": query_path, "WorkGroup": workgroup}
    if database is not None:
        parameters["QueryExecutionContext"] = {"Database": database}
    poll = bounded_poll(
        prefix, describe_resource="arn:aws:states:::aws-sdk:athena:getQueryExecution",
        describe_parameters={"QueryExecutionId.$": f"{state_path}.QueryExecutionId"},
        status_path="$.QueryExecution.Status.State", succeeded=["SUCCEEDED"], failed=["FAILED", "CANCELLED"],
        running=["QUEUED", "RUNNING"], state_path=state_path, next_state=next_state, poll_seconds=poll_seconds,
        max_polls=max_polls, retry_errors=ATHENA_TRANSIENT_ERRORS,
        stop_resource="arn:aws:states:::aws-sdk:athena:stopQueryExecution",
        stop_parameters={"QueryExecutionId.$": f"{state_path}.QueryExecutionId"})
    start = f"{prefix}Start"
    states = {start: task("arn:aws:states:::athena:startQueryExecution", parameters, poll.start,
                          result_path=state_path, result_selector={"QueryExecutionId.$": "$.QueryExecutionId"},
                          retry_errors=ATHENA_TRANSIENT_ERRORS), **poll.states}
    return Fragment(start, states)


def definition(comment: str, start_at: str, states: Mapping[str, State], timeout_seconds: int) -> dict[str, Any]:
    """A whole state machine; `timeout_seconds` bounds the execution even if a loop had no counter."""
    unknown = sorted({target for state in states.values() for target in _targets(state)} - set(states))
    if start_at not in states or unknown:
        raise ValueError(f"transitions to undefined states: {sorted({start_at} - set(states)) + unknown}")
    return {"Comment": comment, "StartAt": start_at, "TimeoutSeconds": timeout_seconds, "States": dict(states)}


def _targets(state: State) -> list[str]:
    targets = [state["Next"]] if "Next" in state else []
    targets += [c["Next"] for c in state.get("Choices", [])] + [c["Next"] for c in state.get("Catch", [])]
    return targets + ([state["Default"]] if "Default" in state else [])


def lint(machine: Mapping[str, Any]) -> list[str]:
    """Problems statelint (the Python port of awslabs/statelint) finds in a definition; [] when valid."""
    from statelint.config import Config
    from statelint.linter import Linter

    return [str(p) for p in Linter.validate(json.dumps(machine), Config([], False, False))]
