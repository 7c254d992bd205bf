"""Athena and SageMaker for moto, emulated with the project's real local engines, for tests and the local mode.

moto records Athena queries and SageMaker jobs but runs nothing. Inside `emulated_jobs(...)` (which needs an
active moto context), a query that starts with UNLOAD runs its SELECT on DuckDB (the events views over the local
lake, the attributes table, and the run-features table over the run's unloaded feature files; transpiled by
sqlglot) and writes gzip JSON lines, or Parquet when the UNLOAD asks for it, where Athena would; a training
job runs `training.churn.train` on its input channel and leaves model.tar.gz and output.tar.gz where SageMaker
would; a transform job runs `training.churn.inference` on its input and writes `<input>.out`. So the state
machine, the Lambda handlers and the training and inference programs all run for real; only the two managed
services are stood in for. A job the code refuses (for instance too few churners) ends `Failed` with the
program's message as FailureReason, as in SageMaker.
"""
from __future__ import annotations

import contextlib
import gzip
import io
import json
import re
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ACCOUNT, REGION = "123456789012", "us-east-1"
_UNLOAD = re.compile(r"^\s*UNLOAD\s*\((?P<sql>.*)\)\s*TO\s*'s3://(?P<bucket>[^/]+)/(?P<prefix>[^']*)'"
                     r"(?P<options>.*)$", re.S | re.I)
_PARQUET = re.compile(r"format\s*=\s*'PARQUET'", re.I)
_RUN_ID = re.compile(r"\brun_id\s*=\s*'(?P<run_id>[^']+)'")


def _s3():
    from moto.s3.models import s3_backends

    return s3_backends[ACCOUNT]["aws"]


def _put(bucket: str, key: str, data: bytes) -> None:
    _s3().put_object(bucket, key, data)


def _objects(uri: str) -> list[tuple[str, bytes]]:
    bucket, _, prefix = uri.removeprefix("s3://").partition("/")
    backend = _s3()
    keys = sorted(k for k in backend.get_bucket(bucket).keys.keys() if k.startswith(prefix))
    return [(key, backend.get_object(bucket, key).value) for key in keys]


def _tar(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.add(path, arcname=str(path.relative_to(folder)))
    return buffer.getvalue()


def _untar(data: bytes, folder: Path) -> Path:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        archive.extractall(folder, filter="data")
    return folder


def _load_run_features(feature_db, spec, sql: str, bucket: str) -> None:
    """The run-features table (partition projection on run_id) for the run the query names, from moto's S3."""
    from contracts import churn_scores
    from tools.churn_features_local import load_run_features

    run_id = _RUN_ID.search(sql)["run_id"]
    with tempfile.TemporaryDirectory() as scratch:
        paths = []
        for index, (_, data) in enumerate(_objects(f"s3://{bucket}/{churn_scores.run_prefixes(run_id)['features']}")):
            paths.append(Path(scratch) / f"part-{index:05d}.gz")
            paths[-1].write_bytes(data)
        load_run_features(feature_db, paths, spec, run_id)


def _unload(cursor, sql: str, parquet: bool) -> bytes:
    if not parquet:
        names = [d[0] for d in cursor.execute(sql).description]
        return gzip.compress("".join(json.dumps(dict(zip(names, row)), default=str) + "\n"
                                     for row in cursor.fetchall()).encode())
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "part.parquet"
        cursor.execute(f"COPY ({sql}) TO '{path}' (FORMAT parquet, COMPRESSION snappy)")
        return path.read_bytes()


@contextmanager
def emulated_jobs(feature_db, spec) -> Iterator[dict[str, list[str]]]:
    """Patch moto's Athena and SageMaker backends; `feature_db` is the DuckDB connection of
    tools.churn_features_local.open_feature_db for the feature spec `spec`. Yields a log of what ran."""
    from moto.athena.models import AthenaBackend
    from moto.sagemaker.models import SageMakerModelBackend

    from contracts.churn_scoring_inputs import RUN_FEATURES_TABLE
    from tools.local_lake import to_duckdb

    log: dict[str, list[str]] = {"queries": [], "training": [], "transform": [], "failures": []}
    original_query = AthenaBackend.start_query_execution
    original_training = SageMakerModelBackend.create_training_job
    original_transform = SageMakerModelBackend.create_transform_job

    def start_query_execution(self, query, context, config, workgroup, execution_parameters):  # noqa: ANN001
        execution_id = original_query(self, query, context, config, workgroup, execution_parameters)
        match = _UNLOAD.match(query)
        if match:
            parquet = bool(_PARQUET.search(match["options"]))
            try:
                if RUN_FEATURES_TABLE in match["sql"]:
                    _load_run_features(feature_db, spec, match["sql"], match["bucket"])
                data = _unload(feature_db.cursor(), to_duckdb(match["sql"]), parquet)
            except Exception as error:  # noqa: BLE001 - the query fails like Athena's would, the poll sees FAILED
                self.executions[execution_id].status = "FAILED"
                log["queries"].append(f"FAILED {match['prefix']}")
                log["failures"].append(f"Athena query failed: {str(error).splitlines()[0]}")
                return execution_id
            _put(match["bucket"], f"{match['prefix']}part-00000{'.parquet' if parquet else '.gz'}", data)
            log["queries"].append(match["prefix"])
        return execution_id

    def create_training_job(self, training_job_name, hyper_parameters, *args, **kwargs):  # noqa: ANN001
        job = original_training(self, training_job_name, hyper_parameters, *args, **kwargs)
        from training.churn import train

        channels = {c["ChannelName"]: c["DataSource"]["S3DataSource"]["S3Uri"] for c in job.input_data_config}
        with tempfile.TemporaryDirectory() as scratch:
            work = Path(scratch)
            (work / "train").mkdir()
            for index, (_, data) in enumerate(_objects(channels["train"])):
                (work / "train" / f"part-{index}.gz").write_bytes(data)
            argv = ["--train", str(work / "train"), "--model-dir", str(work / "model"),
                    "--output-dir", str(work / "output")]
            for key, value in hyper_parameters.items():
                if not key.startswith("sagemaker_"):
                    argv += [f"--{key}", json.loads(value) if value.startswith('"') else value]
            failure = work / "failure"
            import os

            previous = os.environ.get("SM_OUTPUT_DIR")
            os.environ["SM_OUTPUT_DIR"] = str(work)
            try:
                with contextlib.redirect_stderr(io.StringIO()):  # the job's log, not the caller's terminal
                    code = train.main(argv)
            finally:
                if previous is None:
                    os.environ.pop("SM_OUTPUT_DIR", None)
                else:
                    os.environ["SM_OUTPUT_DIR"] = previous
            if code != 0:
                job.training_job_status = "Failed"
                job.failure_reason = failure.read_text() if failure.is_file() else "training failed"
                log["failures"].append(f"training job {training_job_name} failed: {job.failure_reason}")
            else:
                bucket, _, prefix = job.output_data_config["S3OutputPath"].removeprefix("s3://").partition("/")
                base = f"{prefix.rstrip('/') + '/' if prefix else ''}{training_job_name}/output/"
                _put(bucket, f"{base}model.tar.gz", _tar(work / "model"))
                _put(bucket, f"{base}output.tar.gz", _tar(work / "output"))
        log["training"].append(training_job_name)
        return job

    def create_transform_job(self, transform_job_name, model_name, *args, **kwargs):  # noqa: ANN001
        job = original_transform(self, transform_job_name, model_name, *args, **kwargs)
        from training.churn.inference import score_rows

        model = self.describe_model(model_name)
        source = job.transform_input["DataSource"]["S3DataSource"]["S3Uri"]
        bucket, _, prefix = job.transform_output["S3OutputPath"].removeprefix("s3://").partition("/")
        with tempfile.TemporaryDirectory() as scratch:
            model_uri = model.primary_container["ModelDataUrl"]
            (_, data), = _objects(model_uri)
            model_dir = _untar(data, Path(scratch) / "model")
            for key, data in _objects(source):
                text = gzip.decompress(data).decode() if data[:2] == b"\x1f\x8b" else data.decode()
                rows = [json.loads(line) for line in text.splitlines() if line.strip()]
                name = key.rsplit("/", 1)[-1]
                _put(bucket, f"{prefix.rstrip('/')}/{name}.out", score_rows(model_dir, rows).encode())
        log["transform"].append(transform_job_name)
        return job

    AthenaBackend.start_query_execution = start_query_execution
    SageMakerModelBackend.create_training_job = create_training_job
    SageMakerModelBackend.create_transform_job = create_transform_job
    try:
        yield log
    finally:
        AthenaBackend.start_query_execution = original_query
        SageMakerModelBackend.create_training_job = original_training
        SageMakerModelBackend.create_transform_job = original_transform

