"""Lambda's DynamoDB-stream event source mapping, as the component configures it, for fault-injection tests.

Modelled on the documented behaviour: records in order in batches; with ReportBatchItemFailures a batch is
retried from its lowest failed sequence number; a function error (a crash) with BisectBatchOnFunctionError
splits the batch and retries the halves; after MaximumRetryAttempts the batch's coordinates (not its records)
go to the on-failure destination, an SQS queue, in Lambda's documented record shape (records/ holds AWS's
example), and the mapping moves on.
"""
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from functions.preference_sync.handler import lambda_handler

FAILURE_RECORD = json.loads((Path(__file__).parent / "records" / "on_failure_ddb_stream.json").read_text())


class EventSourceMapping:
    def __init__(self, stack: Any, sqs: Any, queue_url: str, batch_size: int = 25, maximum_retry_attempts: int = 5):
        self.stack, self.sqs, self.queue_url = stack, sqs, queue_url
        self.batch_size, self.maximum_retry_attempts = batch_size, maximum_retry_attempts
        self.invocations = 0
        self.discarded_batches = 0

    def drain(self) -> None:
        """Process everything the stream holds now, as the mapping would."""
        records = self.stack.stream.records()
        for start in range(0, len(records), self.batch_size):
            self._process(records[start:start + self.batch_size], retries=0)

    def _process(self, batch: list[dict[str, Any]], retries: int) -> None:
        if not batch:
            return
        self.invocations += 1
        result = None
        try:
            result = lambda_handler({"Records": batch}, self.stack.context)
        except Exception:  # noqa: BLE001 - the whole invocation failed (every record failed, or a bug)
            pass  # retried below, outside this block, so no exception chains onto the next one
        if result is None:
            if retries >= self.maximum_retry_attempts:
                self._discard(batch)
            elif len(batch) > 1:
                half = len(batch) // 2
                self._process(batch[:half], retries + 1)
                self._process(batch[half:], retries + 1)
            else:
                self._process(batch, retries + 1)
            return
        failed = {f["itemIdentifier"] for f in result.get("batchItemFailures", [])}
        if not failed:
            return
        first = min(i for i, r in enumerate(batch) if r["dynamodb"]["SequenceNumber"] in failed)
        if retries >= self.maximum_retry_attempts:
            self._discard(batch[first:])
        else:
            self._process(batch[first:], retries + 1)

    def _discard(self, batch: list[dict[str, Any]]) -> None:
        self.discarded_batches += 1
        message = copy.deepcopy({k: v for k, v in FAILURE_RECORD.items() if not k.startswith("_")})
        info = message["DDBStreamBatchInfo"]
        info.update(shardId=self.stack.stream.shard, streamArn=self.stack.stream.arn, batchSize=len(batch),
                    startSequenceNumber=batch[0]["dynamodb"]["SequenceNumber"],
                    endSequenceNumber=batch[-1]["dynamodb"]["SequenceNumber"])
        self.sqs.send_message(QueueUrl=self.queue_url, MessageBody=json.dumps(message))
