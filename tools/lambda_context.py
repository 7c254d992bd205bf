"""A stand-in for the Lambda context object, for running handlers outside Lambda (tests, dev servers, benches)."""
from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class LocalLambdaContext:
    """The attributes Powertools reads from a Lambda context."""

    function_name: str = "local-function"
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 256
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    remaining_millis: int = 30_000

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:us-east-1:123456789012:function:{self.function_name}"

    @property
    def log_group_name(self) -> str:
        return f"/aws/lambda/{self.function_name}"

    @property
    def log_stream_name(self) -> str:
        return "2026/11/25/[$LATEST]local"

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_millis


@contextmanager
def lambda_environment(variables: Mapping[str, str]) -> Iterator[None]:
    """Set a function's environment variables for a local run, and restore the caller's environment after it,
    so one local mode (or test) never leaks its settings into the next."""
    # Imported here: bench/transform_throughput.py copies this module alone beside a packaged function, where
    # only the stand-in context is used and nothing else of the repository can be imported.
    from tools.environment import environment_variables

    with environment_variables(variables):
        yield
