"""Benchmark: batch-inference output onto profiles (the writer Lambda's code) vs a plain json.loads loop.

    python bench/engagement_writer.py [--users 20000] [--rounds 3] [--smoke]

Both read the same Personalize-format output file in the same run, interleaved round by round; a third arm is
the writer with the category-consent check (catalogue lookups, items dropped) on the same file. The writer does
what the deployed function does per line (parse and validate with the contract, check the user was asked about,
build the attributes, batch-read the current items, batch-write the run, promote): the baseline only parses. The
DynamoDB client is an in-process stand-in that answers every batch at once, so the figure is this code's own
throughput (the floor a real table can only lower) and the call counts are exact.
"""
from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from contracts import personalize as contract  # noqa: E402
from contracts.category_consent import Consent  # noqa: E402
from functions.predictive_engagement_writer import recommendations as recs  # noqa: E402
from functions.predictive_engagement_writer.consent import ConsentGuard, read_catalogue  # noqa: E402


class CountingDynamoDB:
    """Answers GetItem and BatchGetItem (nothing stored yet), BatchWriteItem and PutItem at once; counts the
    calls."""

    class exceptions:  # noqa: N801 - the botocore client attribute name
        ConditionalCheckFailedException = type("ConditionalCheckFailedException", (Exception,), {})

    def __init__(self) -> None:
        self.calls: Counter = Counter()

    def get_item(self, **_):  # the run pointer (contracts.profile_store.write_run reads it once)
        self.calls["GetItem"] += 1
        return {}

    def batch_get_item(self, RequestItems):  # noqa: N803 - boto3 parameter names
        self.calls["BatchGetItem"] += 1
        return {"Responses": {name: [] for name in RequestItems}}

    def batch_write_item(self, RequestItems):  # noqa: N803
        self.calls["BatchWriteItem"] += 1
        return {}

    def put_item(self, **_):
        self.calls["PutItem"] += 1
        return {}


def output_file(users: int) -> tuple[bytes, set[str]]:
    names = [f"user-{u:07d}" for u in range(users)]
    body = "".join(contract.output_line(n, [f"item-{(u * 31 + i) % 5000:05d}" for i in range(25)],
                                        [1 / (i + 1) for i in range(25)]) for u, n in enumerate(names))
    return body.encode(), set(names)


def plain_loop(data: bytes) -> int:
    count = 0
    for line in io.BytesIO(data):
        json.loads(line)
        count += 1
    return count


def writer(data: bytes, known: set[str], client: CountingDynamoDB, guard: ConsentGuard | None = None) -> int:
    report = recs.Report()
    recs.validate(iter(io.BytesIO(data)), known, report)
    assert not report.problems
    rows = recs.attributes(iter(io.BytesIO(data)), guard or ConsentGuard.nobody(), 10,
                           "arn:aws:personalize:us-east-1:1:solution/s/v", datetime(2026, 12, 6, tzinfo=UTC), report)
    recs.write(client, "profiles", "20261206T040000Z", rows, report)
    return report.written


class CatalogueBucket:
    """Answers GetObject with the items catalogue CSV, as S3 would."""

    class exceptions:  # noqa: N801 - the botocore client attribute name
        NoSuchKey = type("NoSuchKey", (Exception,), {})

    def __init__(self, body: bytes) -> None:
        self.body = body

    def get_object(self, Bucket, Key):  # noqa: N803 - boto3 parameter names
        return {"Body": io.BytesIO(self.body)}


def consent_guard(known: set[str]) -> ConsentGuard:
    """30 % of the users opted out of 3 of 20 item categories; the 5,000-item catalogue the output names, parsed
    from its CSV once per run inside the timed arm, as the deployed writer does."""
    rows = [",".join(contract.ITEMS_COLUMNS)] + [f"item-{i:05d},cat-{i % 20:02d},1772400000" for i in range(5000)]
    bucket = CatalogueBucket(("\n".join(rows) + "\n").encode())
    consents = {user: Consent(False, tuple(f"cat-{(n + k) % 20:02d}" for k in range(3)))
                for n, user in enumerate(sorted(known)) if n % 10 < 3}
    return ConsentGuard(consents, lambda: read_catalogue(bucket, "s3://work/predictive-engagement/catalogue/items.csv"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="tiny run for the test suite")
    args = parser.parse_args(argv)
    users, rounds = (500, 1) if args.smoke else (args.users, args.rounds)
    data, known = output_file(users)
    baseline, measured, guarded, client = [], [], [], CountingDynamoDB()
    for _ in range(rounds):
        started = time.perf_counter()
        assert plain_loop(data) == users
        baseline.append(time.perf_counter() - started)
        client = CountingDynamoDB()
        started = time.perf_counter()
        assert writer(data, known, client) == users
        measured.append(time.perf_counter() - started)
        guard = consent_guard(known)
        started = time.perf_counter()
        assert writer(data, known, CountingDynamoDB(), guard) == users
        guarded.append(time.perf_counter() - started)
    b, m, g = statistics.median(baseline), statistics.median(measured), statistics.median(guarded)
    per_thousand = {call: n * 1000 / users for call, n in sorted(client.calls.items())}
    print(f"{users} users, {len(data) / 1e6:.1f} MB of batch output, median of {rounds} interleaved rounds")
    print(f"plain json.loads loop:   {users / b:>10,.0f} lines/s")
    print(f"writer (batched writes): {users / m:>10,.0f} profile updates/s  ({m / b:.1f}x the parse-only time)")
    print(f"writer with category opt-outs (30 % of users, 3 of 20 categories): {users / g:>10,.0f} profile "
          f"updates/s  ({g / m:.2f}x the writer without; {guard.counts.dropped_opted_out_category} items dropped)")
    print(f"DynamoDB calls per 1,000 updates: {per_thousand} (one GetItem + PutItem per user would be 2,000)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
