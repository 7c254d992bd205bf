"""Benchmark: the real-time forwarder's events/s and PutEvents calls per 1,000 events, with and without throttling.

    python bench/engagement_forwarder.py [--users 2000] [--rounds 3] [--smoke]

The events are what the bus carries (SES clicks and custom app events from tools.engagement_sample, in
EventBridge's envelope, in SQS records as the event source mapping delivers them, 100 per batch). The baseline is
the floor of any forwarder: decoding the same SQS bodies (json.loads). The Personalize Events client is an
in-process stand-in that counts calls, optionally throttling a share of them (ThrottlingException) to show that
every event still arrives: retried in the function, or returned to SQS.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from botocore.exceptions import ClientError  # noqa: E402

from components.config import load_stack_config  # noqa: E402
from functions.predictive_engagement_forwarder.forward import forward  # noqa: E402
from tools.engagement_sample import catalogue, interactions, source_records  # noqa: E402


class Events:
    def __init__(self, throttle_share: float, seed: int = 1) -> None:
        self.calls = self.throttled = self.delivered = 0
        self.share, self.rng = throttle_share, random.Random(seed)

    def put_events(self, **request):
        self.calls += 1
        if self.rng.random() < self.share:
            self.throttled += 1
            raise ClientError({"Error": {"Code": "ThrottlingException", "Message": "Rate exceeded"}}, "PutEvents")
        self.delivered += len(request["eventList"])
        return {}


def batches(users: int) -> list[list[dict]]:
    records = source_records(interactions(catalogue(users, 300, 10, 3), 10, 3), 3, noise=True)
    bodies = [{"messageId": f"m-{i}", "body": json.dumps({"source": "aws.ses" if "mail" in r else "engagement.app",
                                                           "detail-type": "x", "id": f"e-{i}", "detail": r})}
              for i, r in enumerate(records)]
    return [bodies[i:i + 100] for i in range(0, len(bodies), 100)]


def session_batches(sessions: int) -> list[list[dict]]:
    """Shoppers browsing: sessions of 5 product views 10 s apart, a new session every 15 s (so a few run at once),
    delivered in time order, 100 per SQS batch, as the event source mapping would poll them."""
    from tools.sample_events import iso

    events = []
    for s in range(sessions):
        start = 1_772_445_600_000 + s * 15_000
        for k in range(5):
            events.append((start + k * 10_000, {"event_type": "product_viewed", "event_timestamp": iso(start + k * 10_000),
                                                "app_id": "shop-web", "user_id": f"user-{s % 997:04d}",
                                                "session_id": f"s-{s}", "attributes": {"item_id": f"item-{(s * 7 + k) % 300}"}}))
    events.sort(key=lambda pair: pair[0])
    bodies = [{"messageId": f"m-{i}", "body": json.dumps({"source": "engagement.app", "detail-type": "x", "id": f"e-{i}",
                                                           "detail": detail})} for i, (_, detail) in enumerate(events)]
    return [bodies[i:i + 100] for i in range(0, len(bodies), 100)]


def run(sqs_batches, throttle_share: float, max_attempts: int) -> tuple[float, Events, int, int]:
    settings = load_stack_config({}).predictive_engagement
    sources, values = settings.item_id_sources, dict(settings.weighted_event_types)
    client, failed, counted = Events(throttle_share), 0, 0
    started = time.perf_counter()
    for batch in sqs_batches:
        records = [(r["messageId"], json.loads(r["body"])) for r in batch]
        retry, counts = forward(client, "tracking", records, sources, values, max_attempts, sleep=lambda s: None)
        failed += len(retry)
        counted += counts["forwarded"] + counts["failed"]
    return time.perf_counter() - started, client, failed, counted


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args(argv)
    users, rounds = (100, 1) if args.smoke else (args.users, args.rounds)
    sqs_batches = batches(users)
    events = sum(len(b) for b in sqs_batches)
    decode, forwarding = [], []
    for _ in range(rounds):
        started = time.perf_counter()
        for batch in sqs_batches:
            [json.loads(r["body"]) for r in batch]
        decode.append(time.perf_counter() - started)
        elapsed, client, failed, counted = run(sqs_batches, 0.0, 6)
        forwarding.append(elapsed)
    d, f = statistics.median(decode), statistics.median(forwarding)
    print(f"{events} bus events ({counted} count as interactions) in {len(sqs_batches)} SQS batches of <= 100; "
          f"median of {rounds} interleaved rounds")
    print(f"decode only (json.loads):  {events / d:>10,.0f} events/s")
    print(f"forwarder:                 {events / f:>10,.0f} events/s ({f / d:.1f}x decode time)")
    print(f"PutEvents calls per 1,000 interactions: {client.calls * 1000 / counted:.0f} (one per event: 1,000; "
          f"this mix spreads each user's events over 28 days, so a batch rarely holds two of one session)")
    _, sessions, _, session_count = run(session_batches(max(20, users // 2)), 0.0, 6)
    print(f"browsing sessions (5 views each, overlapping): {sessions.calls * 1000 / session_count:.0f} PutEvents "
          f"calls per 1,000 interactions")
    _, throttled, failed, counted = run(sqs_batches, 0.2, 6)
    print(f"with 20% of calls throttled: {throttled.throttled} throttles retried, {throttled.delivered}/{counted} "
          f"delivered in the run, {failed} returned to SQS for redelivery, 0 lost")
    assert throttled.delivered + failed == counted
    return 0


if __name__ == "__main__":
    sys.exit(main())
