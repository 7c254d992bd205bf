"""Run our state machines in moto's Step Functions interpreter, with the real Lambda handlers in-process.

Used by the workflow tests of every solution (and usable from a shell for debugging):

    with moto_workflows({"my-fn": my_handler}):            # inside this block, moto executes state machines
        arn = create_state_machine(definition)               # and invokes my_handler for function "my-fn"
        result = run(arn, {"mode": "score"})                 # -> Execution(status, output, error, cause)

Two things moto lacks are filled in here, for tests only: moto's Lambda without Docker only echoes its input,
so `moto_workflows` routes invocations to the Python handlers; and moto's `States.JsonToString` cannot encode
the datetime objects its own forwarded service responses hold (real Step Functions receives ISO strings), so
it is given moto's own datetime-aware encoder.
"""
from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

REGION = "us-east-1"
Handler = Callable[[dict[str, Any], Any], Any]


@dataclass(frozen=True)
class Execution:
    status: str
    output: Any
    error: str | None
    cause: str | None
    arn: str


@contextmanager
def moto_workflows(handlers: Mapping[str, Handler] | None = None) -> Iterator[None]:
    """moto with Step Functions execution on; Lambda invocations of `handlers` (by function name) run in-process."""
    from moto import mock_aws
    from moto.awslambda_simple.models import LambdaSimpleBackend
    from moto.stepfunctions.parser.asl.component.intrinsic.function.statesfunction.json_manipulation import \
        json_to_string
    from moto.stepfunctions.parser.asl.utils import encoding

    from tools.lambda_context import LocalLambdaContext

    registry = dict(handlers or {})
    original_invoke = LambdaSimpleBackend.invoke
    original_dumps = json_to_string.json.dumps

    def invoke(self, function_name, qualifier, body, headers, response_headers):  # noqa: ANN001 - moto's API
        name = function_name.rsplit(":function:", 1)[-1].split(":")[0]
        handler = registry.get(name)
        if handler is None:
            return original_invoke(self, function_name, qualifier, body, headers, response_headers)
        event = json.loads(body or "{}")
        try:
            result = handler(event, LocalLambdaContext(name, memory_limit_in_mb=1024, remaining_millis=900_000))
        except Exception as error:  # noqa: BLE001 - reported to the state machine like Lambda does
            response_headers["x-amz-function-error"] = "Unhandled"
            return json.dumps({"errorType": type(error).__name__, "errorMessage": str(error)}).encode()
        return json.dumps(result).encode()

    class _Json:
        """`json` for moto's JsonToString, with moto's own datetime-aware encoder."""

        def __getattr__(self, name: str) -> Any:
            return getattr(json, name)

        @staticmethod
        def dumps(obj: Any, **kwargs: Any) -> str:
            return original_dumps(obj, cls=encoding._DateTimeEncoder, **kwargs)

    LambdaSimpleBackend.invoke = invoke
    json_to_string.json = _Json()
    try:
        with mock_aws(config={"stepfunctions": {"execute_state_machine": True}, "lambda": {"use_docker": False}}):
            yield
    finally:
        LambdaSimpleBackend.invoke = original_invoke
        json_to_string.json = json


def create_function(name: str) -> str:
    """A moto Lambda function whose invocations `moto_workflows` routes to the registered handler."""
    import boto3

    role = _role()
    client = boto3.client("lambda", region_name=REGION)
    return client.create_function(FunctionName=name, Runtime="python3.13", Role=role, Handler="handler.handler",
                                  Code={"ZipFile": b"PK\x05\x06" + b"\0" * 18})["FunctionArn"]


def create_state_machine(definition: Mapping[str, Any] | str, name: str | None = None) -> str:
    import boto3

    text = definition if isinstance(definition, str) else json.dumps(definition)
    client = boto3.client("stepfunctions", region_name=REGION)
    return client.create_state_machine(name=name or f"sm-{uuid.uuid4().hex[:8]}", definition=text,
                                       roleArn=_role())["stateMachineArn"]


def run(state_machine_arn: str, execution_input: Mapping[str, Any], timeout_seconds: float = 120) -> Execution:
    """Start an execution (always named: moto mishandles unnamed ones) and wait for its end."""
    import boto3

    client = boto3.client("stepfunctions", region_name=REGION)
    arn = client.start_execution(stateMachineArn=state_machine_arn, name=str(uuid.uuid4()),
                                 input=json.dumps(execution_input))["executionArn"]
    deadline = time.monotonic() + timeout_seconds
    while True:
        described = client.describe_execution(executionArn=arn)
        if described["status"] != "RUNNING":
            output = json.loads(described["output"]) if described.get("output") else None
            return Execution(described["status"], output, described.get("error"), described.get("cause"), arn)
        if time.monotonic() > deadline:
            raise TimeoutError(f"execution {arn} still running after {timeout_seconds} s")
        time.sleep(0.1)


def _role() -> str:
    import boto3

    iam = boto3.client("iam", region_name=REGION)
    try:
        return iam.get_role(RoleName="local-workflows")["Role"]["Arn"]
    except iam.exceptions.NoSuchEntityException:
        return iam.create_role(RoleName="local-workflows", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
