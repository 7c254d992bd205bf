"""Replay the two-way SMS replies the preference center's keyword function could not apply, then delete them.

    python -m tools.preference_sms_replay --function "$(pulumi stack output preferenceSmsKeywordFunction)"

The function's dead-letter queue holds two kinds of message: Lambda's failed asynchronous invocations (the body
is SNS's Lambda event, `{"Records": [...]}`) and what SNS could not deliver at all (the body is SNS's
notification, `{"Type": "Notification", "Message": ...}`, raw delivery being off). Both run through the function's
own code (functions/preference_api/sms_keywords.py) with the function's own settings. Applying a reply twice
changes nothing (a reply not newer than the last one applied is stale), so a message is deleted once it ran, and
one that fails again is kept and named. Without --function, the settings come from the environment and the queue
from --queue-url (local runs, tests).
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any


class ReplayError(Exception):
    pass


def lambda_event(body: str) -> dict[str, Any]:
    """SNS's Lambda event for one dead-letter message, whichever of the two kinds it is."""
    try:
        message = json.loads(body)
    except ValueError:
        raise ReplayError("not JSON") from None
    if isinstance(message, dict) and isinstance(message.get("Records"), list):
        return message
    if isinstance(message, dict) and message.get("Type") == "Notification" and "Message" in message:
        return {"Records": [{"EventSource": "aws:sns", "EventVersion": "1.0",
                             "EventSubscriptionArn": message.get("TopicArn", ""), "Sns": message}]}
    raise ReplayError("neither an SNS Lambda event nor an SNS notification")


def replay_queue(queue_url: str, sqs: Any, context: Any) -> tuple[dict[str, int], list[str]]:
    """Run and delete every message; return (outcomes counted, problems with the messages kept)."""
    from functions.preference_api.sms_keywords import lambda_handler
    from tools.preference_reconcile import drain_queue

    outcomes: dict[str, int] = {}

    def replay(body: str) -> None:
        try:
            result = lambda_handler(lambda_event(body), context)
        except ReplayError:
            raise
        except Exception as exc:  # noqa: BLE001 - every failure keeps its message and is reported
            raise ReplayError(f"{type(exc).__name__}: {exc}") from exc
        for outcome in result["outcomes"]:
            outcomes[outcome] = outcomes.get(outcome, 0) + 1

    _, problems = drain_queue(queue_url, sqs, replay, (ReplayError,))
    return outcomes, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--function", help="the keyword function's name (its settings and queue are used)")
    parser.add_argument("--queue-url", help="the queue (default: the function's dead-letter queue)")
    args = parser.parse_args(argv)

    import boto3

    from tools.lambda_context import LocalLambdaContext
    from tools.preference_reconcile import load_function_settings

    queue_arn = load_function_settings(args.function, boto3.client("lambda")) if args.function else ""
    from functions.preference_api.sms_keywords import keyword_settings

    keyword_settings.cache_clear()
    try:
        keyword_settings()
    except ValueError as exc:
        parser.exit(2, f"error: the keyword function's settings are incomplete ({exc.__class__.__name__}); "
                       "pass --function\n")
    sqs = boto3.client("sqs")
    queue_url = args.queue_url or (sqs.get_queue_url(QueueName=queue_arn.rsplit(":", 1)[1])["QueueUrl"]
                                   if queue_arn else "")
    if not queue_url:
        parser.exit(2, "error: no dead-letter queue: pass --function or --queue-url\n")
    outcomes, problems = replay_queue(queue_url, sqs, LocalLambdaContext("preference-sms-replay"))
    print("replayed {} message(s): {}".format(sum(outcomes.values()), ", ".join(
        f"{n} {outcome}" for outcome, n in sorted(outcomes.items())) or "none"))
    for problem in problems:
        print(f"kept {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
