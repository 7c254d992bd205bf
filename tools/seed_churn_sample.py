"""The seed's real churn sample (3,500 endpoints, 30 churners) as inputs for the local pipeline.

    python -m tools.seed_churn_sample --out out/seed-churn
    python -m tools.churn_local --attributes out/seed-churn/SampleImport.csv --lake out/seed-churn/lake \
        --as-of 2019-10-25 --out out/churn-seed

Source: awslabs/predictive-segmentation-using-amazon-pinpoint-and-amazon-sagemaker, commit 596e8f9,
`source/sample_data/ChurnSampleData.csv` (Apache-2.0). The repository keeps it losslessly re-encoded in
tests/fixtures/seed/churn_sample_data.rows (see the README there); `churn_sample_csv()` rebuilds the original
file byte for byte.

From it this module writes what a user of the seed actually had:
- `ChurnSampleData.csv`, the notebook's training file, unchanged;
- `SampleImport.csv`, the same people as endpoints (`ChannelType,Id,Address,Attributes.*,Attributes.Churn`,
  the shape the seed imported into Pinpoint and that this solution reads by default);
- `events/`: the seed's DUE `all_events` Parquet rows behind the two timestamps, one `_email.delivered` at
  LastEmailDelivered and one `_email.open` at LastEmailEngaged per endpoint (`client_id` = endpoint id,
  app id `1a`, as in the seed's sample_pinpoint_events.parquet), and `lake/`: those rows imported with
  tools.import_history, i.e. through the events transform's pinpoint_legacy normalisation.
"""
from __future__ import annotations

import argparse
import csv
import io
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROWS_FILE = ROOT / "tests" / "fixtures" / "seed" / "churn_sample_data.rows"
SOURCE = ("awslabs/predictive-segmentation-using-amazon-pinpoint-and-amazon-sagemaker@596e8f9:"
          "source/sample_data/ChurnSampleData.csv")
HEADER = ("EndpointID", "EmailAddress", "Account Length", "PlanOptionA", "PlanOptionB", "PlanOptionC",
          "UsageWeekdays", "UsageWeekends", "SharedWithFriend", "LastEmailDelivered", "LastEmailEngaged", "Churn?")
# The two timestamps the encoding leaves empty: the file's most common values (its "never" placeholders).
DEFAULT_DELIVERED, DEFAULT_ENGAGED = "1569596990", "1553699390"
AS_OF = "2019-10-25"  # the notebook's reference date
IMPORT_COLUMNS = ("ChannelType", "Id", "Address", "Attributes.AccountLength", "Attributes.PlanOptionA",
                  "Attributes.PlanOptionB", "Attributes.PlanOptionC", "Attributes.UsageWeekdays",
                  "Attributes.UsageWeekends", "Attributes.SharedWithFriend", "Attributes.Churn")


def seed_rows(path: Path = ROWS_FILE) -> list[list[str]]:
    """The 3,500 rows of ChurnSampleData.csv as strings, in file order."""
    rows = []
    for n, line in enumerate(path.read_text().splitlines(), start=1):
        fields = line.split(",")
        if len(fields) != 10:
            raise ValueError(f"{path}:{n}: expected 10 fields, got {len(fields)}")
        fields[7] = fields[7] or DEFAULT_DELIVERED
        fields[8] = fields[8] or DEFAULT_ENGAGED
        rows.append([str(n), f"churn{n}@example.com", *fields])
    return rows


def churn_sample_csv(rows: list[list[str]] | None = None) -> str:
    """ChurnSampleData.csv exactly as the seed ships it (CRLF line ends, no newline at the end, 241,438 bytes)."""
    return "\r\n".join(",".join(r) for r in [list(HEADER), *(rows or seed_rows())])


def write_sample_import(rows: list[list[str]], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(IMPORT_COLUMNS)
        for r in rows:
            writer.writerow(["EMAIL", r[0], r[1], *r[2:9], r[11]])
    return path


def pinpoint_rows(rows: list[list[str]]) -> list[dict]:
    """The seed's DUE rows behind the two timestamps of each endpoint (see the module docstring)."""
    from tools.sample_pinpoint import pinpoint_row

    rng = random.Random(11)
    out = []
    for r in rows:
        for event_type, seconds in (("_email.delivered", r[9]), ("_email.open", r[10])):
            row = pinpoint_row(rng, event_type, int(seconds) * 1000)
            address = r[1]
            mail = row["facets"]["email_channel"]["mail_event"]
            mail["mail"]["message_id"] = f"seed-{r[0]}"
            mail["mail"]["destination"] = [address]
            mail["mail"]["common_headers"]["to"] = [address]
            if "delivery" in mail:
                mail["delivery"]["recipients"] = [address]
            row.update({"client": {"client_id": r[0], "cognito_id": None}, "awsAccountId": "12345",
                        "application": {"app_id": "1a", "sdk": []}})
            out.append(row)
    return out


def write_inputs(out: Path) -> dict[str, Path]:
    """Writes ChurnSampleData.csv, SampleImport.csv, the DUE Parquet and the imported lake under `out`."""
    from tools.import_history import import_files
    from tools.sample_pinpoint import write_pinpoint_parquet

    rows = seed_rows()
    out.mkdir(parents=True, exist_ok=True)
    (out / "ChurnSampleData.csv").write_bytes(churn_sample_csv(rows).encode())
    attributes = write_sample_import(rows, out / "SampleImport.csv")
    files = write_pinpoint_parquet(pinpoint_rows(rows), out)
    _, failures = import_files(files, out / "lake")
    if failures:
        raise ValueError(f"{len(failures)} seed rows failed the legacy import: {failures[0][:300]}")
    return {"training_csv": out / "ChurnSampleData.csv", "attributes": attributes, "lake": out / "lake"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.seed_churn_sample", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("out/seed-churn"))
    args = parser.parse_args(argv)
    paths = write_inputs(args.out)
    sys.stdout.write("".join(f"{name}: {path}\n" for name, path in paths.items()))
    sys.stdout.write(f"next: python -m tools.churn_local --attributes {paths['attributes']} --lake {paths['lake']} "
                     f"--as-of {AS_OF} --out out/churn-seed\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
