"""Preference API handler latency against a local moto server, 50 concurrent clients, mixed GET/PUT.

    python bench/preference_latency.py [--clients 50] [--rounds 10]

Each client owns one user and loops GET preferences -> PUT (with the version it read), so every request is
expected to succeed: any non-2xx answer counts as an error. The handler runs in-process (as Lambda would run
it), its AWS calls go over HTTP to ThreadedMotoServer on 127.0.0.1, which is the slower part of the path.
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import sys
import threading
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from tools.lambda_context import LocalLambdaContext  # noqa: E402 (needs the repo on sys.path)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=10, help="GET+PUT pairs per client")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: checks the script runs")
    args = parser.parse_args()
    if args.smoke:
        args.clients, args.rounds = 2, 1

    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one access-log line per AWS call otherwise

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    os.environ.update({"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
                       "AWS_DEFAULT_REGION": "us-east-1", "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
                       "POWERTOOLS_TRACE_DISABLED": "true", "POWERTOOLS_LOG_LEVEL": "WARNING"})
    try:
        run(args.clients, args.rounds)
    finally:
        server.stop()


def run(clients: int, rounds: int) -> None:
    import boto3
    from botocore.config import Config

    from functions.preference_api import tokens
    from functions.preference_api.handler import lambda_handler
    from tools import preference_seed
    from tools.preference_dev_server import build_event

    names = preference_seed.Names()
    dynamodb, secrets = boto3.client("dynamodb"), boto3.client("secretsmanager")
    preference_seed.create_tables(dynamodb, names)
    preference_seed.put_config(dynamodb, preference_seed.load_sample(), names)
    arn = preference_seed.create_signing_secret(secrets, names)
    os.environ.update(preference_seed.api_environment(names, arn, "https://bench.example", with_events=False))
    # One pooled client per service, sized for the concurrent clients (botocore's default pool of 10 would
    # make threads queue for connections, which a one-request-per-container Lambda never does).
    import functions.preference_api.service as service_module

    config = Config(max_pool_connections=clients)
    pooled = {name: boto3.client(name, config=config) for name in ("dynamodb", "secretsmanager", "firehose")}
    service_module.client = pooled.__getitem__
    key = tokens.load_keyring(arn, secrets).current
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def worker(index: int) -> None:
        user = f"bench-{index}"
        token = tokens.sign(tokens.Claims(user, "default", "manage", int(time.time()) + 3600), key)
        headers = {"authorization": f"Bearer {token}", "content-type": "application/json"}
        context = LocalLambdaContext("bench", aws_request_id=str(index))
        version = 0  # replaced by the version each GET returns before the PUT that follows it
        for round_ in range(rounds):
            for method in ("GET", "PUT"):
                body = b""
                if method == "PUT":
                    body = json.dumps({"version": version, "addresses": {"EMAIL": f"{user}@example.com"},
                                       "attributes": {"first_name": f"Bench {round_}"},
                                       "subscriptions": {"runners-monthly": ["EMAIL"]}}).encode()
                event = build_event(method, "/api/centers/default/preferences", headers, body, "127.0.0.1")
                started = time.perf_counter()
                response = lambda_handler(event, context)
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    if response["statusCode"] != 200:
                        errors.append(f"{method} {response['statusCode']} {response.get('body', '')[:80]}")
                if method == "GET" and response["statusCode"] == 200:
                    version = json.loads(response["body"])["version"]

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print(f"requests {len(latencies)} ({clients} clients x {rounds} GET+PUT pairs) in {wall:.1f}s "
          f"= {len(latencies) / wall:.0f} req/s")
    print(f"latency p50 {statistics.median(ordered) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, "
          f"max {ordered[-1] * 1000:.1f} ms")
    print(f"errors {len(errors)}" + (f": {errors[:5]}" if errors else ""))


if __name__ == "__main__":
    main()
