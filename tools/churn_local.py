"""Predictive segmentation end to end on this machine: the real state machine, Lambdas, SQL, training, inference.

    python -m tools.churn_local --generate 3000 --out out/churn               (what `make churn-demo` runs)
    python -m tools.churn_local --attributes my.csv --lake out/lake --as-of 2019-10-25 --out out/churn-real

With --generate, deterministic customers and engagement events with a planted churn signal are pushed through
the REAL events transform into a local lake (tools/sample_customers.py says what the signal is). With
--attributes/--lake, your own files are used (a lake from tools.local_lake or tools.import_history). Then the
pipeline's Step Functions definition runs in moto's interpreter with the three Lambda handlers in-process;
Athena and SageMaker are stood in for by DuckDB and the training/inference programs (tools/churn_emulation.py).
The run trains (through the quality gate), scores as of --as-of, publishes to a local profile store, and copies
the outputs to --out: scores (Parquet), the audience (CSV), the model report (HTML + SVG), the run summary.
Exit codes: 0 done, 1 the pipeline failed (the error names the step and the reason), 2 bad input.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BUCKET, EVENTS_BUCKET, TABLE, STREAM = "churn-local", "events-local", "profiles-local", "events-local-stream"
FEATURE_SQL_KEY = "pipeline/features.sql"


@dataclass
class LocalResult:
    status: str
    error: str | None
    cause: str | None
    output: dict[str, Any] | None
    files: dict[str, Path]
    failures: list[str]


def _quiet() -> None:
    import logging

    # moto logs every forwarded Athena/SageMaker call as "Unsupported Optimised service integration"
    logging.getLogger("moto").setLevel(logging.CRITICAL)
    for name, value in (("POWERTOOLS_TRACE_DISABLED", "true"), ("POWERTOOLS_METRICS_DISABLED", "true"),
                        ("POWERTOOLS_LOG_LEVEL", "ERROR"), ("AWS_DEFAULT_REGION", "us-east-1"),
                        ("AWS_ACCESS_KEY_ID", "local"), ("AWS_SECRET_ACCESS_KEY", "local")):
        os.environ.setdefault(name, value)


def build_lake(events: list[dict], lake: Path) -> tuple[int, int]:
    """Source records -> the real events transform -> Parquet in Firehose's layout."""
    from tools.local_lake import transform, write_errors, write_events
    from tools.sample_events import firehose_batches

    with contextlib.redirect_stdout(io.StringIO()):  # Powertools prints its metrics per batch
        ok, failed = transform(firehose_batches(events))
    write_events(ok, lake)
    write_errors(failed, lake)
    return len(ok), len(failed)


def _event_days(lake: Path) -> list[str]:
    """The days with e-mail events in a local lake (any kind), in the contract's layout."""
    from contracts.events import EVENTS_PREFIX

    return sorted({p.name[3:] for p in (lake / EVENTS_PREFIX / "channel=email").glob("kind=*/dt=*")})


def run_pipeline(attributes: Path, lake: Path | None, as_of: date, settings: Any, out: Path,
                 modes: tuple[str, ...] = ("score",), timings: Any = None) -> LocalResult:
    """Run the pipeline once per mode (in order) against moto; copy the outputs to `out`."""
    import boto3

    from components.predictive_segmentation import pipeline
    from contracts import churn_scores
    from contracts import profile_store as store
    from functions.predictive_segmentation_postprocess.handler import lambda_handler as postprocess
    from functions.predictive_segmentation_prepare.handler import lambda_handler as prepare
    from functions.predictive_segmentation_promote.handler import lambda_handler as promote
    from tools.churn_emulation import emulated_jobs
    from tools.churn_features_local import ATTRIBUTES_TABLE, EVENTS_DATABASE, open_feature_db, rendered_sql
    from contracts.events import partition_prefix
    from tools.lambda_context import lambda_environment
    from tools.local_stepfunctions import create_function, create_state_machine, moto_workflows, run

    _quiet()
    spec = settings.feature_spec()
    feature_db = open_feature_db(lake, attributes, spec)
    history_prefix = partition_prefix("email", "delivery")
    function_environment = {
        "BUCKET": BUCKET, "FEATURE_SQL_KEY": FEATURE_SQL_KEY, "FEATURE_SPEC": json.dumps(spec.to_json()),
        "LABEL_WINDOW_DAYS": str(settings.label_window_days), "EVENTS_BUCKET": EVENTS_BUCKET,
        "EVENTS_PREFIX": history_prefix, "PROFILE_TABLE": TABLE, "EVENTS_STREAM_NAME": STREAM,
        "CONTROL_FRACTION": str(settings.control_group_percent / 100), "CONTROL_SALT": settings.control_group_salt,
        "MEDIUM_PERCENTILE": "0.8", "PROFILE_WRITERS": "2",
        # In AWS the component sets `churn-<stack id>-` (components/predictive_segmentation/access.py).
        "MODEL_NAME_PREFIX": "churn-local-", "JOB_NAME_PREFIX": "churn-local-", "MODELS_RETAINED": str(settings.models_retained)}
    handlers = {"prepare": prepare, "postprocess": postprocess, "promote": promote}
    import logging

    # The handlers' JSON logs are for CloudWatch; locally the run's outcome is printed instead.
    logging.disable(logging.CRITICAL)
    with lambda_environment(function_environment), moto_workflows(handlers), emulated_jobs(feature_db, spec) as log, \
            contextlib.redirect_stdout(io.StringIO()), contextlib.ExitStack() as cleanup:
        cleanup.callback(logging.disable, logging.NOTSET)
        s3 = boto3.client("s3", region_name="us-east-1")
        for bucket in (BUCKET, EVENTS_BUCKET, "firehose-local"):
            s3.create_bucket(Bucket=bucket)
        for day in _event_days(lake) if lake else []:
            s3.put_object(Bucket=EVENTS_BUCKET, Key=f"{history_prefix}dt={day}/part-00000.parquet", Body=b"")
        s3.put_object(Bucket=BUCKET, Key=FEATURE_SQL_KEY, Body=rendered_sql(spec).encode())
        dynamodb = boto3.client("dynamodb", region_name="us-east-1")
        dynamodb.create_table(TableName=TABLE, BillingMode="PAY_PER_REQUEST",
                              KeySchema=[{"AttributeName": store.HASH_KEY, "KeyType": "HASH"},
                                         {"AttributeName": store.RANGE_KEY, "KeyType": "RANGE"}],
                              AttributeDefinitions=[{"AttributeName": store.HASH_KEY, "AttributeType": "S"},
                                                    {"AttributeName": store.RANGE_KEY, "AttributeType": "S"}])
        boto3.client("firehose", region_name="us-east-1").create_delivery_stream(
            DeliveryStreamName=STREAM, ExtendedS3DestinationConfiguration={
                "RoleARN": "arn:aws:iam::123456789012:role/firehose", "BucketARN": "arn:aws:s3:::firehose-local"})
        arns = {name: create_function(name) for name in handlers}
        machine = create_state_machine(pipeline.definition(local_resources(arns, settings), timings or fast_timings()))
        result = None
        for mode in modes:
            result = run(machine, {"mode": mode, "as_of": as_of.isoformat()}, timeout_seconds=1800)
            if result.status != "SUCCEEDED":
                break
        files = export(s3, out, result.output if result and result.output else {})
        profile_count = dynamodb.scan(TableName=TABLE, Select="COUNT")["Count"]
    if result and result.output:
        result.output["profile_store_items"] = profile_count
    return LocalResult(result.status, result.error, result.cause, result.output, files, log["failures"])


def local_resources(arns: dict[str, str], settings: Any):
    from components.predictive_segmentation import pipeline

    return pipeline.PipelineResources(
        prepare_function=arns["prepare"], postprocess_function=arns["postprocess"], promote_function=arns["promote"],
        workgroup="primary", database="predictive_segmentation", image="local/sagemaker-xgboost:3.0-5",
        model_role_arn="arn:aws:iam::123456789012:role/model", training_role_arn="arn:aws:iam::123456789012:role/train",
        kms_key_arn="arn:aws:kms:us-east-1:123456789012:key/local", code_uri=f"s3://{BUCKET}/code/sourcedir.tar.gz",
        hyperparameters=pipeline.hyperparameters(settings), customer_profiles=False)


def fast_timings():
    from components.predictive_segmentation.pipeline import PipelineTimings

    return PipelineTimings(athena_poll_seconds=1, athena_max_polls=30, transform_poll_seconds=1,
                           transform_max_polls=30, training_poll_seconds=1, training_max_polls=30)


def export(s3: Any, out: Path, output: dict[str, Any]) -> dict[str, Path]:
    """Copy what the run published out of moto: latest scores and audience, the model's registry folder."""
    from functions.predictive_segmentation_postprocess.storage import list_keys

    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    for key in list_keys(s3, BUCKET, "scores/latest/"):
        files["scores"] = out / "scores.parquet"
        s3.download_file(BUCKET, key, str(files["scores"]))
    for key in list_keys(s3, BUCKET, "audience/latest/"):
        files["audience"] = out / "audience.csv"
        s3.download_file(BUCKET, key, str(files["audience"]))
    for key in list_keys(s3, BUCKET, "models/registry/"):
        target = out / "model" / key.removeprefix("models/registry/")
        target.parent.mkdir(parents=True, exist_ok=True)
        s3.download_file(BUCKET, key, str(target))
        if key.endswith("report.html"):
            files["report"] = target
    (out / "run.json").write_text(json.dumps(output, indent=1, default=str))
    files["run"] = out / "run.json"
    return files


def print_summary(result: LocalResult) -> None:
    output = result.output or {}
    promotion = (output.get("promotion") or {}).get("Payload", {})
    summary = (output.get("score") or {}).get("Payload", {})
    if promotion:
        print(f"model {promotion.get('model_version')}: hold-out PR-AUC {promotion.get('pr_auc', 0):.3f} -> "
              f"{'promoted' if promotion.get('promoted') else 'REFUSED: ' + '; '.join(promotion.get('reasons', []))}")
    if summary:
        print(f"scored {summary['scored']} customers as of {summary['as_of']}: {summary['at_risk']} at risk, "
              f"{summary['audience']} in the audience, {summary['control']} held out as control")
        print(f"drift: max PSI {summary['drift']['max_psi']}; backtest: {summary['backtest']}")
    for name, path in result.files.items():
        print(f"{name}: {path}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.churn_local", description=__doc__.splitlines()[0])
    parser.add_argument("--generate", type=int, metavar="CUSTOMERS", help="generate this many customers and events")
    parser.add_argument("--attributes", type=Path, help="customer-attributes CSV or Parquet (with --lake)")
    parser.add_argument("--lake", type=Path, help="a local events lake (tools.local_lake / tools.import_history)")
    parser.add_argument("--as-of", type=date.fromisoformat, help="scoring date (default: the generated labels date)")
    parser.add_argument("--settings", type=Path, help="JSON of predictiveSegmentation* config keys to override")
    parser.add_argument("--out", type=Path, default=Path("out/churn"))
    args = parser.parse_args(argv)
    from components.config import ConfigError, PredictiveSegmentationSettings
    from contracts.churn_features import FeatureSpecError

    try:
        overrides = json.loads(args.settings.read_text()) if args.settings else {}
        settings = PredictiveSegmentationSettings.model_validate(overrides)
        if args.generate:
            from tools.sample_customers import make_customers, make_events, write_customers

            labels_at = args.as_of or date(2026, 7, 1)
            customers = make_customers(args.generate)
            attributes = write_customers(customers, args.out / "input" / "customers.csv")
            lake = args.out / "input" / "lake"
            ok, failed = build_lake(make_events(customers, labels_at), lake)
            print(f"generated {len(customers)} customers; {ok} events through the events transform ({failed} rejected)")
        elif args.attributes and args.as_of:
            attributes, lake, labels_at = args.attributes, args.lake, args.as_of
        else:
            raise FeatureSpecError("give --generate N, or --attributes FILE --as-of YYYY-MM-DD [--lake DIR]")
        result = run_pipeline(attributes, lake, labels_at, settings, args.out)
    except (FeatureSpecError, ConfigError, ValueError, OSError) as error:
        print(f"error: {str(error).splitlines()[0]}", file=sys.stderr)
        return 2
    print_summary(result)
    if result.status != "SUCCEEDED":
        reason = result.failures[0] if result.failures else (result.cause or "")[:500]
        print(f"error: pipeline {result.status} at {result.error}: {reason}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
