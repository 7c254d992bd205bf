"""Every Amazon Personalize call of the workflow (the state machine only sequences them and waits).

Each `start_*` is idempotent (a retried step never starts a second import, training or batch job) and each
`describe_*` maps Personalize's statuses onto RUNNING / SUCCEEDED / FAILED for the workflow's bounded polls.
Automatic training is never on: the solution is created here with `performAutoTraining=False` (aws-native's
Solution has no such input, and the API default retrains every 7 days), and an existing solution that trains
automatically is refused with a clear error rather than used.
"""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from contracts.personalize import CATALOGUE_PREFIX

from .settings import Settings, client

METRICS = ("precision_at_10", "normalized_discounted_cumulative_gain_at_10", "coverage")
RUNNING = {"CREATE PENDING", "CREATE IN_PROGRESS", "CREATE STOPPING", "PENDING", "IN_PROGRESS"}
FAILED = {"CREATE FAILED", "CREATE STOPPED", "FAILED", "STOPPED"}


class AutoTrainingOn(Exception):
    """The solution retrains by itself every 7 days (a hidden training bill); refused."""


class SolutionNotReady(Exception):
    """The solution is still being created; the state machine retries this step with backoff."""


def _status(status: str, reason: str | None = None) -> dict[str, Any]:
    state = "SUCCEEDED" if status == "ACTIVE" else "FAILED" if status in FAILED else "RUNNING"
    if state == "RUNNING" and status not in RUNNING:
        state = "FAILED"  # an unknown status must end the run, never loop until the poll bound
        reason = reason or f"unexpected status {status!r}"
    return {"status": state, "personalize_status": status, "failure_reason": reason or ""}


def _job_name(settings: Settings, kind: str, run_id: str) -> str:
    # At most 31 + 14 + 16 characters (NAME_PREFIX and the run id are checked): never cut, so each run's jobs differ.
    return f"{settings.name_prefix}-{kind}-{run_id}"


def start_import(settings: Settings, run_id: str, location: str) -> dict[str, Any]:
    """Import the run's interactions, and each configured metadata dataset whose catalogue file exists."""
    imports = [("import", settings.interactions_dataset_arn, location)]
    for kind, dataset_arn in (("items", settings.items_dataset_arn), ("users", settings.users_dataset_arn)):
        key = f"{CATALOGUE_PREFIX}{kind}.csv"
        if dataset_arn and _exists(settings.bucket, key):
            imports.append((f"import-{kind}", dataset_arn, f"s3://{settings.bucket}/{key}"))
    personalize = client("personalize")
    arns = []
    for kind, dataset_arn, data_location in imports:
        name = _job_name(settings, kind, run_id)
        try:
            arns.append(personalize.create_dataset_import_job(
                jobName=name, datasetArn=dataset_arn, dataSource={"dataLocation": data_location},
                roleArn=settings.role_arn, importMode="FULL")["datasetImportJobArn"])
        except personalize.exceptions.ResourceAlreadyExistsException:
            arns.append(settings.arn("dataset-import-job", name))  # a retried step: the job of this run exists
    return {"job_arn": arns[0], "job_arns": arns}


def _exists(bucket: str, key: str) -> bool:
    s3 = client("s3")
    try:
        s3.head_object(Bucket=bucket, Key=key)
        return True
    except s3.exceptions.ClientError as error:
        if error.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound"):
            return False
        raise


def describe_import(job_arns: list[str]) -> dict[str, Any]:
    """All imports of the run as one status: FAILED if one failed, RUNNING while one runs, else SUCCEEDED."""
    statuses = []
    for job_arn in job_arns:
        job = client("personalize").describe_dataset_import_job(datasetImportJobArn=job_arn)["datasetImportJob"]
        statuses.append(_status(job["status"], job.get("failureReason")))
    for state in ("FAILED", "RUNNING"):
        found = [s for s in statuses if s["status"] == state]
        if found:
            return found[0]
    return statuses[0]


def ensure_solution(settings: Settings) -> dict[str, Any]:
    personalize = client("personalize")
    arn = settings.arn("solution", settings.solution_name)
    try:
        arn = personalize.create_solution(
            name=settings.solution_name, datasetGroupArn=settings.dataset_group_arn, recipeArn=settings.recipe_arn,
            performAutoTraining=False, performHPO=False)["solutionArn"]
        return {"solution_arn": arn, "solution_status": "CREATE PENDING", "created": True}
    except personalize.exceptions.ResourceAlreadyExistsException:
        solution = personalize.describe_solution(solutionArn=arn)["solution"]
    if solution.get("performAutoTraining", True):
        raise AutoTrainingOn(f"solution {arn} has automatic training on (a new solution version, and its bill, "
                             f"every 7 days). Delete it (`aws personalize delete-solution --solution-arn {arn}`); "
                             f"the next run recreates it with automatic training off.")
    return {"solution_arn": arn, "solution_status": solution["status"], "created": False}


def _versions(solution_arn: str) -> list[dict[str, Any]]:
    versions: list[dict[str, Any]] = []
    for page in client("personalize").get_paginator("list_solution_versions").paginate(solutionArn=solution_arn):
        versions += page["solutionVersions"]
    return sorted(versions, key=lambda v: v["creationDateTime"], reverse=True)


def current_model(settings: Settings) -> dict[str, Any] | None:
    s3 = client("s3")
    try:
        return json.loads(s3.get_object(Bucket=settings.bucket, Key=settings.state_key)["Body"].read())
    except s3.exceptions.NoSuchKey:
        return None


def plan_training(settings: Settings, now: datetime | None = None) -> dict[str, Any]:
    """Train only on the configured cadence: when no model exists, or the newest is older than the interval."""
    now = now or datetime.now(UTC)
    solution = ensure_solution(settings)
    current = current_model(settings)
    newest = next((v for v in _versions(solution["solution_arn"]) if v["status"] == "ACTIVE"), None)
    if current is None:
        train, reason = True, "no promoted model yet"
    elif settings.training_interval_days == 0:
        train, reason = False, "training interval is 0: train only when no model exists"
    elif newest is None or now - newest["creationDateTime"] >= timedelta(days=settings.training_interval_days):
        train, reason = True, f"newest model is older than {settings.training_interval_days} days"
    else:
        train, reason = False, f"newest model is younger than {settings.training_interval_days} days"
    return {**solution, "train": train, "reason": reason,
            "current_version": current["solution_version_arn"] if current else ""}


def start_training(settings: Settings, solution_arn: str, run_id: str) -> dict[str, Any]:
    personalize = client("personalize")
    if personalize.describe_solution(solutionArn=solution_arn)["solution"]["status"] != "ACTIVE":
        raise SolutionNotReady(f"solution {solution_arn} is not ACTIVE yet")
    in_flight = [v for v in _versions(solution_arn) if v["status"] in RUNNING]
    if in_flight:  # a retried step, or a run that overlapped: never pay for two trainings
        return {"solution_version_arn": in_flight[0]["solutionVersionArn"]}
    arn = personalize.create_solution_version(solutionArn=solution_arn, trainingMode="FULL",
                                              name=_job_name(settings, "train", run_id))["solutionVersionArn"]
    return {"solution_version_arn": arn}


def describe_training(solution_version_arn: str) -> dict[str, Any]:
    version = client("personalize").describe_solution_version(
        solutionVersionArn=solution_version_arn)["solutionVersion"]
    return _status(version["status"], version.get("failureReason"))


def _metrics(solution_version_arn: str) -> dict[str, float]:
    found = client("personalize").get_solution_metrics(solutionVersionArn=solution_version_arn)["metrics"]
    return {name: float(found.get(name, 0.0)) for name in METRICS}


def compare_and_promote(settings: Settings, candidate_arn: str, now: datetime | None = None) -> dict[str, Any]:
    """Promote the candidate unless one offline metric is worse than the current model's by > the margin."""
    current = current_model(settings)
    candidate = _metrics(candidate_arn)
    worse = []
    if current:
        floor = 1 - settings.promotion_margin_percent / 100
        worse = [f"{m} {candidate[m]:.4f} < {current['metrics'].get(m, 0.0):.4f} x {floor:.2f}" for m in METRICS
                 if candidate[m] < current["metrics"].get(m, 0.0) * floor]
    if worse:
        return {"promoted": False, "model_version": current["solution_version_arn"], "candidate_metrics": candidate,
                "reason": "kept the current model: " + "; ".join(worse)}
    state = {"solution_version_arn": candidate_arn, "metrics": candidate,
             "promoted_at": (now or datetime.now(UTC)).isoformat(timespec="seconds")}
    client("s3").put_object(Bucket=settings.bucket, Key=settings.state_key, Body=json.dumps(state).encode(),
                            ContentType="application/json")
    if settings.campaign_arn:
        client("personalize").update_campaign(campaignArn=settings.campaign_arn, solutionVersionArn=candidate_arn)
    return {"promoted": True, "model_version": candidate_arn, "candidate_metrics": candidate,
            "reason": "first model" if current is None else "not worse than the current model beyond the margin"}


def start_batch(settings: Settings, run_id: str, model_version: str, input_location: str,
                output_location: str) -> dict[str, Any]:
    personalize = client("personalize")
    name = _job_name(settings, "batch", run_id)
    request: dict[str, Any] = dict(
        jobName=name, solutionVersionArn=model_version, numResults=settings.recommendation_count,
        jobInput={"s3DataSource": {"path": input_location, "kmsKeyArn": settings.kms_key_arn}},
        jobOutput={"s3DataDestination": {"path": output_location, "kmsKeyArn": settings.kms_key_arn}},
        roleArn=settings.role_arn)
    if settings.filter_arn:
        request["filterArn"] = settings.filter_arn
    try:
        arn = personalize.create_batch_inference_job(**request)["batchInferenceJobArn"]
    except personalize.exceptions.ResourceAlreadyExistsException:
        arn = settings.arn("batch-inference-job", name)
    return {"job_arn": arn}


def describe_batch(job_arn: str) -> dict[str, Any]:
    job = client("personalize").describe_batch_inference_job(batchInferenceJobArn=job_arn)["batchInferenceJob"]
    return _status(job["status"], job.get("failureReason"))
