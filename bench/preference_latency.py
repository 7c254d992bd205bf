"""Preference API latency: the handler's own service time per route, and a bounded throughput run.

    python bench/preference_latency.py [--iterations 300] [--clients 8] [--requests 400] [--smoke]

1. Service time: the real handler with every AWS call answered at once by in-memory stand-ins (no network, no
   emulator), per route, so the figure is the handler's own work: routing, origin proof, token check,
   validation, transaction building, JSON. Baseline: the physical floor of an API Gateway v2 handler (parse the
   event and a JSON body, answer JSON), measured the same way, interleaved.
2. Throughput: the handler against a moto server in its OWN process (as DynamoDB is another process in AWS),
   a fixed pool of users (so tables stop growing except the append-only consent log, whose size is reported),
   bounded request count, botocore retries OFF so every emulator 5xx is counted instead of hidden.
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from tools.lambda_context import LocalLambdaContext  # noqa: E402 (needs the repo on sys.path)

CENTER = "/api/centers/default"


# --- 1. service time with AWS stubbed -------------------------------------------------------------------------

class Instant:
    """Stand-ins answering each call the handler makes with a fixed, valid response."""

    def __init__(self, config_item: dict, secret: str, record_item: dict | None):
        import boto3

        real = boto3.client("dynamodb", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
        self.exceptions = real.exceptions
        self.config_item, self.secret, self.record_item = config_item, secret, record_item

    # dynamodb
    def get_item(self, TableName: str, Key: dict, **_: Any) -> dict:
        if "preference_center_id" in Key and "user_id" not in Key:
            return {"Item": self.config_item}
        return {"Item": self.record_item} if self.record_item and "user_id" in Key else {}

    def transact_write_items(self, **_: Any) -> dict:
        return {}

    def update_item(self, **_: Any) -> dict:
        return {}

    # secretsmanager
    def get_secret_value(self, VersionStage: str = "AWSCURRENT", **_: Any) -> dict:
        if VersionStage != "AWSCURRENT":
            raise self.exceptions.ResourceNotFoundException({"Error": {"Code": "ResourceNotFoundException"}}, "Get")
        return {"SecretString": self.secret}

    # sesv2, firehose
    def send_email(self, **_: Any) -> dict:
        return {"MessageId": "m"}

    def put_record(self, **_: Any) -> dict:
        return {"RecordId": "r"}


def floor_handler(event: dict, context: Any) -> dict:
    body = json.loads(event.get("body") or "{}")
    return {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": json.dumps({"ok": body})}


def service_times(iterations: int) -> None:
    import boto3  # noqa: F401 - loaded before timing, as in a warm container

    from functions.preference_api import settings, store, tokens
    from functions.preference_api.handler import lambda_handler
    from tools import preference_seed
    from tools.preference_dev_server import build_event

    names = preference_seed.Names()
    os.environ.update(preference_seed.api_environment(names, "arn:aws:secretsmanager:us-east-1:1:secret:k",
                                                      "https://bench.example", with_events=False))
    os.environ.update({"AWS_DEFAULT_REGION": "us-east-1", "POWERTOOLS_TRACE_DISABLED": "true",
                       "POWERTOOLS_LOG_LEVEL": "WARNING"})
    document = preference_seed.load_sample()
    secret = preference_seed.new_key_secret_string("k1")
    origin = json.loads(secret)["origin_verify"]
    record = {**store.empty_preferences("default", "u-1"), "version": 3, "addresses": {"EMAIL": "a@example.com"},
              "confirmed_at": {"EMAIL": "2026-01-01T00:00:00.000Z"}, "subscriptions": {"runners-monthly": ["EMAIL"]},
              "attributes": {"first_name": "Ana"}}
    instant = Instant({"preference_center_id": {"S": "default"}, "config": {"S": json.dumps(document)},
                       "version": {"N": "1"}}, secret, store._to_item(record))
    settings.reset()
    for service in ("dynamodb", "secretsmanager", "sesv2", "firehose"):
        settings.use_client(service, instant)
    key = tokens.SigningKey.from_secret_string(secret)
    later = int(time.time()) + 3600
    manage = tokens.sign(tokens.Claims("u-1", "default", "manage", later), key)
    unsubscribe = tokens.sign(tokens.Claims("u-1", "default", "unsubscribe", later, "runners-monthly"), key)
    form = {"version": 3, "addresses": {"EMAIL": "a@example.com"}, "attributes": {"first_name": "Ana"},
            "subscriptions": {"runners-monthly": ["EMAIL"], "new-arrivals": ["EMAIL"]}, "language": "en"}
    json_headers = {"content-type": "application/json", "x-origin-verify": origin}
    routes = {
        "GET config": build_event("GET", f"{CENTER}/config", json_headers, b"", "10.0.0.1"),
        "GET preferences": build_event("GET", f"{CENTER}/preferences", {**json_headers,
                                       "authorization": f"Bearer {manage}"}, b"", "10.0.0.1"),
        "PUT preferences": build_event("PUT", f"{CENTER}/preferences", {**json_headers,
                                       "authorization": f"Bearer {manage}"}, json.dumps(form).encode(), "10.0.0.1"),
        "POST optin": build_event("POST", f"{CENTER}/optin", json_headers, json.dumps(
            {"addresses": {"EMAIL": "b@example.com"}, "attributes": {"first_name": "Bo"}}).encode(), "10.0.0.1"),
        "POST unsubscribe": build_event("POST", f"{CENTER}/unsubscribe?token={unsubscribe}", {
            "content-type": "application/x-www-form-urlencoded", "x-origin-verify": origin},
            b"List-Unsubscribe=One-Click", "10.0.0.1"),
        "direct (no origin proof)": build_event("GET", f"{CENTER}/config", {}, b"", "10.0.0.1"),
    }
    floor_event = build_event("PUT", f"{CENTER}/preferences", json_headers, json.dumps(form).encode(), "10.0.0.1")
    context = LocalLambdaContext("bench")
    expected = {"GET config": 200, "GET preferences": 200, "PUT preferences": 200, "POST optin": 202,
                "POST unsubscribe": 200, "direct (no origin proof)": 403}
    for name, event in routes.items():  # warm every path once and check it answers as it should
        status = lambda_handler(event, context)["statusCode"]
        if status != expected[name]:
            raise SystemExit(f"{name}: expected {expected[name]}, got {status}")
    times: dict[str, list[float]] = {name: [] for name in ["floor (minimal handler)", *routes]}
    for _ in range(iterations):  # interleaved
        started = time.perf_counter()
        floor_handler(floor_event, context)
        times["floor (minimal handler)"].append(time.perf_counter() - started)
        for name, event in routes.items():
            started = time.perf_counter()
            lambda_handler(event, context)
            times[name].append(time.perf_counter() - started)
    floor = statistics.median(times["floor (minimal handler)"])
    print(f"service time per route, AWS calls answered in memory, {iterations} interleaved iterations:")
    for name, values in times.items():
        ordered = sorted(values)
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        print(f"  {name:26s} p50 {statistics.median(values) * 1000:7.3f} ms  p99 {p99 * 1000:7.3f} ms  "
              f"({statistics.median(values) / floor:6.1f}x floor)")
    settings.reset()


# --- 2. bounded throughput against a moto server in its own process ------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def throughput(clients: int, requests: int, users: int) -> None:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.1)
        _run_throughput(port, clients, requests, users)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:  # keep-alive connections can hold werkzeug's shutdown
            server.kill()
            server.wait(timeout=10)


def _run_throughput(port: int, clients: int, requests: int, users: int) -> None:
    import boto3
    from botocore.config import Config

    from functions.preference_api import settings, store, tokens
    from functions.preference_api.handler import lambda_handler
    from tools import preference_seed
    from tools.preference_dev_server import build_event

    os.environ.update({"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "AWS_DEFAULT_REGION":
                       "us-east-1", "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
                       "POWERTOOLS_TRACE_DISABLED": "true", "POWERTOOLS_LOG_LEVEL": "ERROR"})
    names = preference_seed.Names()
    no_retries = Config(retries={"max_attempts": 1, "mode": "standard"}, max_pool_connections=clients)
    dynamodb, secrets = boto3.client("dynamodb", config=no_retries), boto3.client("secretsmanager")
    preference_seed.create_tables(dynamodb, names)
    preference_seed.put_config(dynamodb, preference_seed.load_sample(), names)
    arn = preference_seed.create_signing_secret(secrets, names)
    os.environ.update(preference_seed.api_environment(names, arn, "https://bench.example", with_events=False))
    settings.reset()
    for service in ("dynamodb", "secretsmanager"):
        settings.use_client(service, boto3.client(service, config=no_retries))
    origin = preference_seed.origin_verify(secrets, arn)
    key = tokens.load_keyring(arn, secrets).current
    for n in range(users):  # confirmed subscribers (as after double opt-in), so PUTs send no confirmations
        empty = store.empty_preferences("default", f"bench-{n}")
        store.save(dynamodb, (names.preferences_table, names.consent_table), empty, {
            **empty, "addresses": {"EMAIL": f"bench-{n}@example.com"}, "attributes": {"first_name": "B"},
            "confirmed_at": {"EMAIL": "2026-01-01T00:00:00.000Z"}}, 0, store.RequestMeta("api"))
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock, counter = threading.Lock(), iter(range(requests))

    def worker(index: int) -> None:
        context = LocalLambdaContext("bench", aws_request_id=str(index))
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            user = f"bench-{n % users}"
            token = tokens.sign(tokens.Claims(user, "default", "manage", int(time.time()) + 3600), key)
            headers = {"authorization": f"Bearer {token}", "content-type": "application/json",
                       "x-origin-verify": origin}
            started = time.perf_counter()
            read = lambda_handler(build_event("GET", f"{CENTER}/preferences", headers, b"", "10.0.0.1"), context)
            version = json.loads(read["body"]).get("version", 0) if read["statusCode"] == 200 else 0
            body = json.dumps({"version": version, "addresses": {"EMAIL": f"{user}@example.com"},
                               "attributes": {"first_name": f"N{n}"},
                               "subscriptions": {}}).encode()
            saved = lambda_handler(build_event("PUT", f"{CENTER}/preferences", headers, body, "10.0.0.1"), context)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                for status in (read["statusCode"], saved["statusCode"]):
                    statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    consent = dynamodb.scan(TableName=names.consent_table, Select="COUNT")["Count"]
    print(f"throughput vs moto server (own process), {clients} clients, {len(latencies)} GET+PUT pairs, "
          f"{users} users: {2 * len(latencies) / wall:.0f} req/s; pair p50 {statistics.median(ordered) * 1000:.0f} "
          f"ms, p99 {p99 * 1000:.0f} ms")
    errors = sum(count for status, count in statuses.items() if status >= 500)
    print(f"  statuses {dict(sorted(statuses.items()))} (409 = two clients saved one user at once); "
          f"5xx {errors}; consent log {consent} items")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=300)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=400, help="GET+PUT pairs in the throughput run")
    parser.add_argument("--users", type=int, default=40, help="user pool: caps the preferences table's size")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, a few seconds")
    args = parser.parse_args(argv)
    if args.smoke:
        args.iterations, args.clients, args.requests, args.users = 5, 2, 6, 3
    service_times(args.iterations)
    throughput(args.clients, args.requests, args.users)


if __name__ == "__main__":
    main()
