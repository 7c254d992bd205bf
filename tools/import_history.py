"""Imports old DUE `all_events` Parquet (Pinpoint era) into the new events lake layout.

    python -m tools.import_history --source 'old-lake/events/**/*.parquet' --dest out/imported

Each row goes through the SAME normalisation as the transform Lambda's pinpoint_legacy path
(functions/events_transform/legacy.py), so imported history and live events share one schema and the
views cover both. Output: `DEST/events/channel=../dt=../hour=../history-<n>.parquet`, partitioned by the
EVENT time (the old lake was partitioned by ingest time). Rows that cannot be normalised are written to
`DEST/errors/import-failed.jsonl` and counted, never dropped silently.

To load the result into the real lake (partition projection makes it queryable at once, nothing to
register):  aws s3 sync DEST/events s3://<data-lake-bucket>/events/
Re-importing is safe for analysis: event_id is deterministic, so duplicates can be removed on it.
"""
from __future__ import annotations

import argparse
import glob
import json
import sys
from collections import Counter
from pathlib import Path

from functions.events_transform.canonical import NormalizeError, partition_keys
from functions.events_transform.legacy import normalize_pinpoint
from tools.local_lake import open_lake, write_events


def source_files(source: str) -> list[Path]:
    path = Path(source)
    if path.is_dir():
        return sorted(path.rglob("*.parquet"))
    return sorted(Path(p) for p in glob.glob(source, recursive=True))


def convert_row(row: dict) -> tuple[dict, dict]:
    """One old row (maps as dicts) -> (partition keys, canonical record); raises NormalizeError."""
    raw = json.dumps(row, separators=(",", ":"), default=str)  # the old row, kept as raw_event
    arrival = row.get("arrival_timestamp") or row.get("event_timestamp") or 0
    channel, canonical = normalize_pinpoint(row, raw, arrival)
    return partition_keys(channel, canonical["event_timestamp"]), canonical


def import_files(files: list[Path], dest: Path) -> tuple[Counter, list[str]]:
    """Converts and writes every file; returns counts per legacy event type read, and failures."""
    import pyarrow.parquet as pq

    counts_in: Counter = Counter()
    failures: list[str] = []
    for n, path in enumerate(files):
        rows = pq.read_table(path).to_pylist(maps_as_pydicts="strict")
        converted = []
        for row in rows:
            counts_in[row.get("event_type")] += 1
            try:
                converted.append(convert_row(row))
            except NormalizeError as exc:
                failures.append(json.dumps({"file": str(path), "reason": exc.reason, "detail": exc.detail,
                                            "row": json.dumps(row, default=str)}))
        write_events(converted, dest, part=f"history-{n:05d}")
    if failures:
        (dest / "errors").mkdir(parents=True, exist_ok=True)
        (dest / "errors" / "import-failed.jsonl").write_text("\n".join(failures) + "\n")
    return counts_in, failures


def counts_out(dest: Path) -> Counter:
    """Counts per original legacy event type, read back from the written lake."""
    con = open_lake(dest)
    rows = con.execute("SELECT channel_data['pinpoint_event_type'] AS t, count(*) FROM all_events "
                       "WHERE event_source = 'pinpoint_legacy' GROUP BY 1").fetchall()
    return Counter(dict(rows))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", required=True, help="directory (searched recursively) or glob of .parquet")
    parser.add_argument("--dest", type=Path, required=True)
    args = parser.parse_args(argv)
    files = source_files(args.source)
    if not files:
        print(f"no Parquet files match {args.source}", file=sys.stderr)
        return 2
    read, failures = import_files(files, args.dest)
    written = counts_out(args.dest)
    print(f"{'event_type':<28}{'in':>10}{'out':>10}")
    for event_type in sorted(set(read) | set(written), key=str):
        print(f"{event_type!s:<28}{read[event_type]:>10}{written[event_type]:>10}")
    print(f"{'total':<28}{sum(read.values()):>10}{sum(written.values()):>10}   failed: {len(failures)}")
    return 0 if read == written and not failures else 1


if __name__ == "__main__":
    sys.exit(main())
