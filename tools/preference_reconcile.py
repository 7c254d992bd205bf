"""Bring SES, the SMS opt-out list and the audience table back to what the preferences table says.

    # replay every batch the stream sync gave up on (the sync function's failure queue), then delete it
    python -m tools.preference_reconcile --function "$(pulumi stack output preferenceSyncFunction)" --dlq
    # reconcile one user, or every user of a center (also removes rows and contacts no record explains)
    python -m tools.preference_reconcile --function "$(pulumi stack output preferenceSyncFunction)" \
        --center default [--user u-123]

Runs the sync function's own code (functions/preference_sync) with the function's own settings, read from its
configuration, so the result is exactly what the function would have written. A failure-queue message holds a
batch's stream coordinates; its records are read back from the stream (kept 24 hours). When they have expired,
the message is kept and the command says to reconcile the center instead. Without --function, the settings come
from the environment (PREFERENCES_TABLE, AUDIENCE_TABLE, ...), as in the local modes and tests.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from typing import Any


class ReplayError(Exception):
    pass


def load_function_settings(function_name: str, lambda_client: Any) -> str:
    """Copy the sync function's environment into ours; return its failure queue's ARN."""
    config = lambda_client.get_function_configuration(FunctionName=function_name)
    os.environ.update(config.get("Environment", {}).get("Variables", {}))
    return config.get("DeadLetterConfig", {}).get("TargetArn", "")


def replay_message(body: str, streams: Any) -> int:
    """Re-run the sync on every record of one failed batch; return how many records were replayed."""
    from functions.preference_sync import handler, sync
    from functions.preference_sync.settings import settings
    from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

    try:
        info = json.loads(body)["DDBStreamBatchInfo"]
    except (ValueError, KeyError, TypeError):
        raise ReplayError("not a DynamoDB stream failure record") from None
    try:
        iterator = streams.get_shard_iterator(StreamArn=info["streamArn"], ShardId=info["shardId"],
                                              ShardIteratorType="AT_SEQUENCE_NUMBER",
                                              SequenceNumber=info["startSequenceNumber"])["ShardIterator"]
    except Exception as exc:  # noqa: BLE001 - TrimmedDataAccessException, ResourceNotFound: records are gone
        raise ReplayError(f"stream records of this batch are no longer readable ({type(exc).__name__}); "
                          f"run with --center to reconcile every user") from None
    end, replayed = int(info["endSequenceNumber"]), 0
    while iterator:
        response = streams.get_records(ShardIterator=iterator)
        for record in response["Records"]:
            if int(record["dynamodb"]["SequenceNumber"]) > end:
                return replayed
            record = json.loads(json.dumps(record, default=lambda v: v.timestamp()))
            record["eventSourceARN"] = info["streamArn"]
            sync.apply(settings(), handler.to_change(DynamoDBRecord(record)))
            replayed += 1
        if not response["Records"]:
            break
        iterator = response.get("NextShardIterator")
    return replayed


def replay_queue(queue_url: str, sqs: Any, streams: Any) -> tuple[int, int, list[str]]:
    """Replay and delete every message; return (messages replayed, records replayed, problems)."""
    records = 0

    def replay(body: str) -> None:
        nonlocal records
        records += replay_message(body, streams)

    messages, problems = drain_queue(queue_url, sqs, replay, (ReplayError,))
    return messages, records, problems


def drain_queue(queue_url: str, sqs: Any, handle: Callable[[str], None],
                kept: tuple[type[Exception], ...]) -> tuple[int, list[str]]:
    """`handle` every message's body once and delete it; a message whose handling raises one of `kept` stays in
    the queue and is named in the problems. Returns (messages handled, problems). (Shared with
    tools.preference_sms_replay.)"""
    handled = 0
    problems: list[str] = []
    seen: set[str] = set()
    while True:
        batch = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0,
                                    VisibilityTimeout=60).get("Messages", [])
        fresh = [m for m in batch if m["MessageId"] not in seen]
        if not fresh:
            return handled, problems
        for message in fresh:
            seen.add(message["MessageId"])
            try:
                handle(message["Body"])
            except kept as exc:
                problems.append(f"{message['MessageId']}: {exc}")
                continue
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
            handled += 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--function", help="the sync function's name (its settings and failure queue are used)")
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--dlq", action="store_true", help="replay the sync function's failure queue")
    target.add_argument("--center", help="reconcile every user of this preference center")
    parser.add_argument("--user", help="with --center: only this user")
    parser.add_argument("--queue-url", help="with --dlq: the queue (default: the function's dead-letter queue)")
    args = parser.parse_args(argv)

    import boto3
    from botocore.config import Config

    queue_arn = load_function_settings(args.function, boto3.client("lambda")) if args.function else ""
    from functions.preference_sync import sync, whole_center
    from functions.preference_sync.settings import settings

    try:
        env = settings()
    except ValueError as exc:
        parser.exit(2, f"error: the sync settings are incomplete ({exc.__class__.__name__}); pass --function\n")
    if args.center:
        if args.user:
            sync.reconcile_user(env, args.center, args.user)
            print(f"reconciled user {args.user} of center {args.center}")
        else:
            counts = whole_center.reconcile_center(env, args.center)
            print("reconciled center {}: {users} users, {orphan_audience_rows} orphan audience rows and "
                  "{unowned_contacts} unowned contacts removed".format(args.center, **counts))
        return 0
    sqs = boto3.client("sqs")
    queue_url = args.queue_url or (sqs.get_queue_url(QueueName=queue_arn.rsplit(":", 1)[1])["QueueUrl"]
                                   if queue_arn else "")
    if not queue_url:
        parser.exit(2, "error: no failure queue: pass --function or --queue-url\n")
    # Stream records are read back with the account endpoint disabled (the streams API has none of its own).
    streams = boto3.client("dynamodbstreams", config=Config(account_id_endpoint_mode="disabled"))
    messages, records, problems = replay_queue(queue_url, sqs, streams)
    print(f"replayed {messages} failed batch(es), {records} record(s)")
    for problem in problems:
        print(f"kept {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
