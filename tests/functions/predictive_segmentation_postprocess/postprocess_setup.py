"""Constants and helpers of the post-processing tests (fixtures are in conftest.py)."""
from __future__ import annotations

import gzip
import io
import json
import tempfile
from pathlib import Path

from contracts import churn_scores
from contracts.churn_features import AttributeSpec, FeatureSpec
from tools.sample_customers import SEED_COLUMNS

BUCKET, TABLE, STREAM = "churn-test", "profiles-test", "events-test"
SPEC = FeatureSpec(AttributeSpec(SEED_COLUMNS, "Id", "Attributes.Churn", SEED_COLUMNS[3:-1], ("ChannelType",),
                                 "Address"), (7, 30, 90))
RUN_1, AS_OF_1 = "20260601T030000Z-score", "2026-06-01"
RUN_2, AS_OF_2 = "20260701T030000Z-score", "2026-07-01"


def stage_run(s3, trained, run_id: str, rows: list[dict], files: int = 3) -> None:
    """Put the run's feature files (as UNLOAD writes), transform output (as batch transform writes) and what
    Athena unloads for scoring from those features (the real SQL, on DuckDB: companion and drift histogram)."""
    from tools.churn_features_local import scoring_inputs
    from training.churn.inference import score_rows

    model_dir, meta = trained
    s3.put_object(Bucket=BUCKET, Key=churn_scores.CURRENT_META_KEY, Body=json.dumps(meta).encode())
    prefixes = churn_scores.run_prefixes(run_id)
    size = -(-len(rows) // files)
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        (work / "features").mkdir()
        for index in range(files):
            chunk = rows[index * size:(index + 1) * size]
            name = f"{run_id}_{index:05d}.gz"
            (work / "features" / name).write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in chunk).encode()))
            s3.upload_file(str(work / "features" / name), BUCKET, prefixes["features"] + name)
            s3.put_object(Bucket=BUCKET, Key=prefixes["transform"] + name + ".out",
                          Body=score_rows(model_dir, chunk).encode())
        companion, drift = scoring_inputs(sorted((work / "features").iterdir()), SPEC, meta["profile"], run_id, work)
        for prefix, paths in ((prefixes["companion"], companion), (prefixes["drift"], drift)):
            for index, path in enumerate(paths):  # named without an extension, which UNLOAD need not write
                s3.upload_file(str(path), BUCKET, f"{prefix}{run_id}_{index:05d}")


def invoke(action: str, run_id: str, as_of: str, lambda_context, summary: dict | None = None) -> dict:
    from functions.predictive_segmentation_postprocess.handler import lambda_handler

    event = {"action": action, "plan": {"run_id": run_id, "as_of": as_of, "mode": "score"}}
    if summary is not None:
        event["summary"] = summary
    return lambda_handler(event, lambda_context)


def parquet_rows(s3, key: str) -> list[dict]:
    import pyarrow.parquet as pq

    table = pq.read_table(io.BytesIO(s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()))
    return table.to_pylist()

