"""Replay an event-driven preference-center function's dead-letter queue through the function's own handler.

Shared by `tools.preference_sms_replay` (STOP/START replies) and `tools.preference_ses_replay` (SES Subscription
events): each says how a queue message becomes the handler's event, and which handler and settings it runs; the
queue is drained by `tools.preference_reconcile.drain_queue` (each message handled once, deleted when it ran,
kept and named when it fails again). Both handlers are idempotent, so a message is deleted once it ran.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


class ReplayError(Exception):
    pass


@dataclass(frozen=True)
class Replayable:
    """One function: how to load its handler and settings, and how a dead letter becomes its event."""
    what: str
    """What the function applies, for messages (e.g. "the keyword function")."""
    handler: Callable[[], Callable[[dict[str, Any], Any], dict[str, Any]]]
    settings: Callable[[], Any]
    """Loads (and caches) the function's settings from the environment; raises ValueError when incomplete."""
    clear_settings: Callable[[], None]
    events: Callable[[str], list[dict[str, Any]]]
    """The handler events one message body holds; raises ReplayError when it holds none."""
    outcomes: Callable[[dict[str, Any]], list[str]]
    """The outcomes one handler result reports."""


def replay_queue(function: Replayable, queue_url: str, sqs: Any, context: Any) -> tuple[dict[str, int], list[str]]:
    """Run and delete every message; return (outcomes counted, problems with the messages kept)."""
    from tools.preference_reconcile import drain_queue

    handler, outcomes = function.handler(), {}

    def replay(body: str) -> None:
        for event in function.events(body):
            try:
                result = handler(event, context)
            except Exception as exc:  # noqa: BLE001 - every failure keeps its message and is reported
                raise ReplayError(f"{type(exc).__name__}: {exc}") from exc
            for outcome in function.outcomes(result):
                outcomes[outcome] = outcomes.get(outcome, 0) + 1

    _, problems = drain_queue(queue_url, sqs, replay, (ReplayError,))
    return outcomes, problems


def main(function: Replayable, description: str, argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--function", help=f"{function.what}'s name (its settings and queue are used)")
    parser.add_argument("--queue-url", help="the queue (default: the function's dead-letter queue)")
    args = parser.parse_args(argv)

    import boto3

    from tools.lambda_context import LocalLambdaContext
    from tools.preference_reconcile import load_function_settings

    queue_arn = load_function_settings(args.function, boto3.client("lambda")) if args.function else ""
    function.clear_settings()
    try:
        function.settings()
    except ValueError as exc:
        parser.exit(2, f"error: {function.what}'s settings are incomplete ({exc.__class__.__name__}); "
                       "pass --function\n")
    sqs = boto3.client("sqs")
    queue_url = args.queue_url or (sqs.get_queue_url(QueueName=queue_arn.rsplit(":", 1)[1])["QueueUrl"]
                                   if queue_arn else "")
    if not queue_url:
        parser.exit(2, "error: no dead-letter queue: pass --function or --queue-url\n")
    outcomes, problems = replay_queue(function, queue_url, sqs, LocalLambdaContext("preference-replay"))
    print("replayed {} message(s): {}".format(sum(outcomes.values()), ", ".join(
        f"{n} {outcome}" for outcome, n in sorted(outcomes.items())) or "none"))
    for problem in problems:
        print(f"kept {problem}", file=sys.stderr)
    return 1 if problems else 0
