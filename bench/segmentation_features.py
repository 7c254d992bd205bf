"""The churn feature query on DuckDB over a lake of about --events engagement events: seconds and events/s.

    python bench/segmentation_features.py [--events 1000000] [--smoke]

The lake is built the production way (generated SES and app source records through the real events transform,
Parquet in Firehose's layout) and cached under .build/bench/ so a rerun measures only the query. Reported:
loading the lake into DuckDB, and the feature query itself (best of 3), for scoring as of the last day.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")
os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "ERROR")

from components.config import PredictiveSegmentationSettings  # noqa: E402
from tools.churn_features_local import feature_rows, open_feature_db  # noqa: E402
from tools.churn_local import build_lake  # noqa: E402
from tools.sample_customers import make_customers, make_events, write_customers  # noqa: E402

LABELS_AT = date(2026, 7, 1)
EVENTS_PER_CUSTOMER = 78  # 180 days of weekly emails and app events, measured on the generator


def lake_for(events: int, days: int) -> tuple[Path, Path, int]:
    customers = max(50, events // EVENTS_PER_CUSTOMER)
    # The cached lake is only valid for the events contract's layout it was written in.
    from contracts.events import PARTITION_KEYS

    layout = "-".join(key.name for key in PARTITION_KEYS)
    folder = ROOT / ".build" / "bench" / f"churn-lake-{customers}-{days}-{layout}"
    attributes = folder / "customers.csv"
    if not (folder / "done").is_file():
        people = make_customers(customers)
        write_customers(people, attributes)
        ok, _ = build_lake(make_events(people, LABELS_AT, days=days), folder / "lake")
        (folder / "done").write_text(str(ok))
    return attributes, folder / "lake", int((folder / "done").read_text())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--smoke", action="store_true", help="a few thousand events: checks the script runs")
    args = parser.parse_args(argv)
    events, days = (4_000, 60) if args.smoke else (args.events, 180)
    attributes, lake, count = lake_for(events, days)
    spec = PredictiveSegmentationSettings().feature_spec()
    start = time.perf_counter()
    con = open_feature_db(lake, attributes, spec)
    loaded = time.perf_counter() - start
    best, rows = float("inf"), []
    for _ in range(1 if args.smoke else 3):
        start = time.perf_counter()
        rows = feature_rows(con, spec, LABELS_AT)
        best = min(best, time.perf_counter() - start)
    print(json.dumps({"events": count, "customers": len(rows), "load_seconds": round(loaded, 2),
                      "query_seconds": round(best, 2), "events_per_second": round(count / best)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
