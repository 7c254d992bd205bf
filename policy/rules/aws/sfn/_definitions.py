"""Reading Amazon States Language definitions (shared by the Step Functions and SageMaker rules; not a rule).

pulumi-aws has no resource for SageMaker transform jobs, and scheduled training jobs are started by state
machines too, so the rules about their settings read the state machine definitions that start them.
"""
from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

STATE_MACHINE = "aws:sfn/stateMachine:StateMachine"


def parse(definition: Any) -> dict[str, Any] | None:
    """The definition as a dict; None when it is not JSON yet (an unknown output during a first preview)."""
    if isinstance(definition, Mapping):
        return dict(definition)
    if not isinstance(definition, str):
        return None
    try:
        parsed = json.loads(definition)
    except json.JSONDecodeError:
        return None
    return parsed if isinstance(parsed, dict) else None


def states(definition: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every state, including those inside Parallel branches and Map iterators, as (name, state)."""
    for name, state in (definition.get("States") or {}).items():
        if not isinstance(state, Mapping):
            continue
        yield name, dict(state)
        for branch in state.get("Branches") or []:
            yield from states(branch)
        for key in ("ItemProcessor", "Iterator"):
            if isinstance(state.get(key), Mapping):
                yield from states(state[key])


def tasks(definition: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    return ((name, state) for name, state in states(definition) if state.get("Type") == "Task")


def integration(state: Mapping[str, Any]) -> str:
    """`arn:aws:states:::sagemaker:createTransformJob.sync` -> `sagemaker:createTransformJob` ('' for others)."""
    resource = str(state.get("Resource", ""))
    if not resource.startswith("arn:aws:states:::"):
        return ""
    service_call = resource.removeprefix("arn:aws:states:::").removeprefix("aws-sdk:")
    return service_call.split(".")[0]


def parameter(parameters: Mapping[str, Any], path: str) -> Any:
    """A value at a dotted path of a task's Parameters, static or `.$` (a path counts as set)."""
    value: Any = parameters
    parts = path.split(".")
    for index, part in enumerate(parts):
        if not isinstance(value, Mapping):
            return None
        if index == len(parts) - 1 and f"{part}.$" in value:
            return value[f"{part}.$"]
        value = value.get(part)
    return value


def calls(props: Mapping[str, Any], *names: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(state name, Parameters) of every task of a state machine's definition that calls one of `names`."""
    definition = parse(props.get("definition"))
    if definition is None:
        return
    wanted = {n.lower() for n in names}
    for name, state in tasks(definition):
        if integration(state).lower() in wanted:
            yield name, dict(state.get("Parameters") or {})
