"""Imports old DUE `all_events` Parquet (Pinpoint era) into the new events lake layout.

    python -m tools.import_history --source 'old-lake/events/**/*.parquet' --dest out/imported [--keep-raw]

Each row goes through the SAME normalisation as the transform Lambda's pinpoint_legacy path
(functions/events_transform/legacy.py), so imported history and live events share one schema and the views
cover both. Both spellings of the old files are read: the lower-case names Glue gave the seed's columns
(`awsaccountid`, `unsubscribelinktag`) and the event stream's camelCase. Output:
`DEST/events/channel=../kind=../dt=../history-<n>.parquet`, partitioned by the EVENT time (the old lake was
partitioned by ingest time). Rows that cannot be normalised go to `DEST/errors/import-failed.jsonl`, counted,
never dropped silently. After the import the tool prints counts per event type in and out, and the number of
NULLs per column of what it wrote (a column that is NULL everywhere usually means a spelling it did not know).

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

from contracts.events import EVENT_COLUMNS, InvalidEvent, partition_keys
from functions.events_transform.legacy import normalize_pinpoint
from tools.local_lake import open_lake, write_events


def source_files(source: str) -> list[Path]:
    path = Path(source)
    if path.is_dir():
        return sorted(path.rglob("*.parquet"))
    return sorted(Path(p) for p in glob.glob(source, recursive=True))


def convert_row(row: dict, keep_raw: bool = False) -> tuple[dict, dict]:
    """One old row (maps as dicts) -> (partition keys, canonical record); raises InvalidEvent."""
    arrival = row.get("arrival_timestamp") or row.get("event_timestamp") or 0
    try:
        channel, canonical = normalize_pinpoint(row, arrival)
    except (AttributeError, TypeError, KeyError) as exc:
        raise InvalidEvent("schema_violation", f"{type(exc).__name__}: {exc}") from exc
    if keep_raw:
        canonical["raw_event"] = json.dumps(row, separators=(",", ":"), default=str)
    return partition_keys(channel, canonical["event_type"], canonical["event_timestamp"]), canonical


def import_files(files: list[Path], dest: Path, keep_raw: bool = False) -> tuple[Counter, list[str]]:
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
                converted.append(convert_row(row, keep_raw))
            except InvalidEvent as exc:
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


def null_counts(dest: Path) -> dict[str, int]:
    """NULLs per data column of the imported rows (empty maps and lists count as NULL: nothing was found)."""
    con = open_lake(dest)
    terms = []
    for column in EVENT_COLUMNS:
        empty = f" OR cardinality({column.name}) = 0" if column.hive_type.startswith("map") else (
            f" OR len({column.name}) = 0" if column.hive_type.startswith("array") else "")
        terms.append(f"count_if({column.name} IS NULL{empty})")
    values = con.execute(f"SELECT {', '.join(terms)} FROM all_events WHERE event_source = 'pinpoint_legacy'"
                         ).fetchone()
    return dict(zip((c.name for c in EVENT_COLUMNS), values))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", required=True, help="directory (searched recursively) or glob of .parquet")
    parser.add_argument("--dest", type=Path, required=True)
    parser.add_argument("--keep-raw", action="store_true", help="also keep each old row as JSON in raw_event")
    args = parser.parse_args(argv)
    files = source_files(args.source)
    if not files:
        print(f"no Parquet files match {args.source}", file=sys.stderr)
        return 2
    read, failures = import_files(files, args.dest, args.keep_raw)
    written = counts_out(args.dest)
    print(f"{'event_type':<28}{'in':>10}{'out':>10}")
    for event_type in sorted(set(read) | set(written), key=str):
        print(f"{event_type!s:<28}{read[event_type]:>10}{written[event_type]:>10}")
    total = sum(written.values())
    print(f"{'total':<28}{sum(read.values()):>10}{total:>10}   failed: {len(failures)}")
    print(f"\n{'column':<24}{'NULL or empty':>14}  of {total}")
    for name, nulls in null_counts(args.dest).items():
        print(f"{name:<24}{nulls:>14}")
    return 0 if read == written and not failures else 1


if __name__ == "__main__":
    sys.exit(main())
