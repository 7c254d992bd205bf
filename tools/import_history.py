"""Imports old DUE `all_events` Parquet (Pinpoint era) into the new events lake layout.

    python -m tools.import_history --source 'old-lake/events/**/*.parquet' --dest out/imported [--keep-raw]

Each row goes through the SAME normalisation as the transform Lambda's pinpoint_legacy path
(functions/events_transform/legacy.py), so imported history and live events share one schema and the views
cover both. Both spellings of the old files are read: the lower-case names Glue gave the seed's columns
(`awsaccountid`, `unsubscribelinktag`) and the event stream's camelCase (a row whose two spellings disagree is
refused). Output: `DEST/events/channel=../kind=../dt=../history-<hash of the source file's path>.parquet`,
partitioned by the EVENT time (the old lake was partitioned by ingest time), so batches imported into one DEST
never overwrite each other. Rows that cannot be normalised go to `DEST/errors/import-failed.jsonl`, counted,
never dropped silently. After the import the tool prints counts per event type in and out, and the number of
NULLs per column of what this run wrote (a column that is NULL everywhere usually means a spelling it did not
know). Everything is written to a staging folder first: a source that is not readable Parquet stops the import
with one line on stderr and exit status 2, and nothing is written.

To load the result into the real lake (partition projection makes it queryable at once, nothing to
register):  aws s3 sync DEST/events s3://<data-lake-bucket>/events/
Re-importing is safe for analysis: event_id is deterministic, so duplicates can be removed on it.
"""
from __future__ import annotations

import argparse
import glob
import hashlib
import json
import os
import shutil
import sys
import tempfile
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


class UnreadableSource(Exception):
    """A source file that is not readable Parquet (truncated, not Parquet at all): nothing is written."""


def convert_row(row: dict, keep_raw: bool = False) -> tuple[dict, dict]:
    """One old row (maps as dicts) -> (partition keys, canonical record); raises InvalidEvent."""
    _check_spellings(row)
    arrival = row.get("arrival_timestamp") or row.get("event_timestamp") or 0
    try:
        channel, canonical = normalize_pinpoint(row, arrival)
    except (AttributeError, TypeError, KeyError) as exc:
        raise InvalidEvent("schema_violation", f"{type(exc).__name__}: {exc}") from exc
    if keep_raw:
        canonical["raw_event"] = json.dumps(row, separators=(",", ":"), default=str)
    return partition_keys(channel, canonical["event_type"], canonical["event_timestamp"]), canonical


def _check_spellings(row: dict) -> None:
    """A file can hold a column in both spellings (`awsaccountid` and `awsAccountId`); a row whose two
    values disagree is refused rather than silently taking one of them."""
    seen: dict[str, tuple[str, object]] = {}
    for name, value in row.items():
        if value is None:
            continue
        first = seen.setdefault(name.lower(), (name, value))
        if first[0] != name and first[1] != value:
            raise InvalidEvent("conflicting_field", f"{first[0]} and {name} hold different values")


def read_rows(path: Path) -> tuple[list[dict], list[dict]]:
    """(rows with maps as dicts, rows that cannot be: a map with a repeated key). UnreadableSource if the file
    is not readable Parquet."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        first_line = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise UnreadableSource(f"{path}: not a readable Parquet file ({first_line})") from None
    try:
        return table.to_pylist(maps_as_pydicts="strict"), []
    except KeyError:  # a repeated map key somewhere: find the rows, keep them whole as failures
        rows, refused = [], []
        for index in range(table.num_rows):
            one = table.slice(index, 1)
            try:
                rows.extend(one.to_pylist(maps_as_pydicts="strict"))
            except KeyError:
                refused.extend(one.to_pylist())
        return rows, refused


def _type_key(value: object) -> object:
    """What a row's event_type is counted under (a hostile file can hold a number, a list or a struct)."""
    return value if value is None or isinstance(value, str) else json.dumps(value, default=str)


def stage(files: list[Path], dest: Path, keep_raw: bool = False) -> tuple[Path, Counter, list[str]]:
    """Converts every file into a staging folder inside `dest`; (staging folder, counts per legacy event type
    read, failures). On UnreadableSource the staging folder is removed: nothing is half-written."""
    created = not dest.exists()
    dest.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".import-", dir=dest))
    counts_in: Counter = Counter()
    failures: list[str] = []
    try:
        for path in files:
            rows, refused = read_rows(path)
            converted = []
            for row in refused:
                counts_in[_type_key(row.get("event_type"))] += 1
                failures.append(_failure(path, "duplicate_map_key", "a map column repeats a key", row))
            for row in rows:
                counts_in[_type_key(row.get("event_type"))] += 1
                try:
                    converted.append(convert_row(row, keep_raw))
                except InvalidEvent as exc:
                    failures.append(_failure(path, exc.reason, exc.detail, row))
            write_events(converted, staging, part=part_name(path))
        _stage_failures(failures, files, dest, staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if created and not any(dest.iterdir()):
            dest.rmdir()
        raise
    return staging, counts_in, failures


def _stage_failures(failures: list[str], files: list[Path], dest: Path, staging: Path) -> None:
    """DEST's failure file with this run's failures: an earlier batch's lines are kept, this run's sources'
    earlier lines are replaced (a re-import does not list a row twice)."""
    existing = dest / "errors" / "import-failed.jsonl"
    sources = {str(path) for path in files}
    kept = [line for line in (existing.read_text().splitlines() if existing.exists() else [])
            if line.strip() and _source_of(line) not in sources]
    if kept or failures or existing.exists():
        (staging / "errors").mkdir(parents=True, exist_ok=True)
        (staging / "errors" / "import-failed.jsonl").write_text("".join(f"{line}\n" for line in kept + failures))


def _source_of(line: str) -> object:
    try:
        return json.loads(line).get("file")
    except (ValueError, AttributeError):
        return None  # not a line this tool wrote: kept as it is


def publish(staging: Path, dest: Path) -> None:
    """Moves the staged files to their places in `dest` (same file system: each move is a rename)."""
    for path in sorted(p for p in staging.rglob("*") if p.is_file()):
        target = dest / path.relative_to(staging)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
    shutil.rmtree(staging, ignore_errors=True)


def part_name(source: Path) -> str:
    """One name per source file: importing another batch into the same DEST (or syncing it into the same lake)
    never overwrites an earlier batch's files in a shared partition, and re-importing a file replaces its own."""
    return "history-" + hashlib.sha256(str(source.resolve()).encode()).hexdigest()[:16]


def import_files(files: list[Path], dest: Path, keep_raw: bool = False) -> tuple[Counter, list[str]]:
    """Converts and writes every file; returns counts per legacy event type read, and failures."""
    staging, counts_in, failures = stage(files, dest, keep_raw)
    publish(staging, dest)
    return counts_in, failures


def _failure(path: Path, reason: str, detail: str, row: object) -> str:
    return json.dumps({"file": str(path), "reason": reason, "detail": detail, "row": json.dumps(row, default=str)})


def counts_out(dest: Path) -> Counter:
    """Counts per original legacy event type, read back from the written lake."""
    if not _has_events(dest):
        return Counter()
    con = open_lake(dest)
    rows = con.execute("SELECT channel_data['pinpoint_event_type'] AS t, count(*) FROM all_events "
                       "WHERE event_source = 'pinpoint_legacy' GROUP BY 1").fetchall()
    return Counter(dict(rows))


def null_counts(dest: Path) -> dict[str, int]:
    """NULLs per data column of the imported rows (empty maps and lists count as NULL: nothing was found)."""
    if not _has_events(dest):
        return {column.name: 0 for column in EVENT_COLUMNS}
    con = open_lake(dest)
    terms = []
    for column in EVENT_COLUMNS:
        empty = f" OR cardinality({column.name}) = 0" if column.hive_type.startswith("map") else (
            f" OR len({column.name}) = 0" if column.hive_type.startswith("array") else "")
        terms.append(f"count_if({column.name} IS NULL{empty})")
    values = con.execute(f"SELECT {', '.join(terms)} FROM all_events WHERE event_source = 'pinpoint_legacy'"
                         ).fetchone()
    return dict(zip((c.name for c in EVENT_COLUMNS), values))


def _has_events(lake: Path) -> bool:
    return any((lake / "events").glob("*/*/*/*.parquet"))


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
    inside = next((f for f in files if args.dest.resolve() in f.resolve().parents), None)
    if inside is not None:
        print(f"import_history: {inside} is inside --dest {args.dest}: an earlier import's output would be read "
              "as Pinpoint history; choose a --dest outside --source", file=sys.stderr)
        return 2
    try:
        staging, read, failures = stage(files, args.dest, args.keep_raw)
    except UnreadableSource as exc:
        print(f"import_history: {exc}; nothing was written", file=sys.stderr)
        return 2
    except OSError as exc:  # DEST is a file, or not writable
        print(f"import_history: cannot write to {args.dest} ({exc.strerror or exc}); nothing was written",
              file=sys.stderr)
        return 2
    # The report covers exactly what this run wrote (not files an earlier import left in DEST).
    written, nulls = counts_out(staging), null_counts(staging)
    publish(staging, args.dest)
    print(f"{'event_type':<28}{'in':>10}{'out':>10}")
    for event_type in sorted(set(read) | set(written), key=str):
        print(f"{event_type!s:<28}{read[event_type]:>10}{written[event_type]:>10}")
    total = sum(written.values())
    print(f"{'total':<28}{sum(read.values()):>10}{total:>10}   failed: {len(failures)}")
    print(f"\n{'column':<24}{'NULL or empty':>14}  of {total}")
    for name, count in nulls.items():
        print(f"{name:<24}{count:>14}")
    return 0 if read == written and not failures else 1


if __name__ == "__main__":
    sys.exit(main())
