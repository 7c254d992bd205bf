"""Records per second through the real transform handler vs a plain json.loads + json.dumps of the same records.

    python bench/transform_throughput.py [--events 20000] [--repeat 3]

One process, one core, same records, best of --repeat runs each. The ratio (handler / plain JSON) is the
share of raw JSON round-trip speed the transform keeps; the target is >= 0.5.
"""
from __future__ import annotations

import argparse
import base64
import contextlib
import io
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
# Measure the transform, not X-Ray, EMF printing or per-record log lines.
os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")
os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "ERROR")

from functions.events_transform.handler import lambda_handler  # noqa: E402
from tools.lambda_context import LocalLambdaContext  # noqa: E402
from tools.sample_events import firehose_batches, generate_events  # noqa: E402


def best_of(repeat: int, run) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: checks the script runs")
    args = parser.parse_args()
    if args.smoke:
        args.events, args.repeat = 500, 1
    events = generate_events(max(1, args.events // 1000), min(args.events, 1000))
    batches = list(firehose_batches(events, batch_size=500))
    raws = [base64.b64decode(r["data"]) for b in batches for r in b["records"]]
    n = len(raws)
    context = LocalLambdaContext("bench-transform")

    def handler_path() -> None:
        with contextlib.redirect_stdout(io.StringIO()):  # EMF metric lines are not part of the measure
            _run_handler()

    def _run_handler() -> None:
        for batch in batches:
            out = lambda_handler(batch, context)
            assert all(r["result"] == "Ok" for r in out["records"])

    def plain_json() -> None:
        for raw in raws:
            json.dumps(json.loads(raw))

    def json_and_base64() -> None:
        for batch in batches:
            for r in batch["records"]:
                base64.b64encode(json.dumps(json.loads(base64.b64decode(r["data"]))).encode())

    t_handler = best_of(args.repeat, handler_path)
    t_plain = best_of(args.repeat, plain_json)
    t_b64 = best_of(args.repeat, json_and_base64)
    print(f"records: {n} (SES, SMS/voice, custom and preference-center mix), best of {args.repeat}")
    print(f"plain json.loads+json.dumps:        {n / t_plain:>10,.0f} records/s")
    print(f"json + base64 in/out (Firehose I/O): {n / t_b64:>10,.0f} records/s")
    print(f"transform handler (normalise):      {n / t_handler:>10,.0f} records/s")
    print(f"ratio handler / plain json:          {t_plain / t_handler:.2f}  (target >= 0.5)")
    print(f"ratio handler / json+base64:         {t_b64 / t_handler:.2f}")


if __name__ == "__main__":
    main()
