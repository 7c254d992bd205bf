"""An in-memory Amazon Personalize for workflow tests (moto has none; a Stubber cannot follow a poll loop).

It answers the calls functions/predictive_engagement_personalize makes, with the response shapes of botocore's
service model, walks each job through the statuses a test scripts, and, when a batch inference job becomes
ACTIVE, writes its output into (moto) S3 in Personalize's format, one line per input user, as the service does.
Invented where moto is silent: the statuses and the recommended items are the test's choice.
"""
from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from contracts import personalize as contract


class ResourceAlreadyExistsException(Exception):
    pass


class FakePersonalize:
    exceptions = SimpleNamespace(ResourceAlreadyExistsException=ResourceAlreadyExistsException)

    def __init__(self, s3: Any, statuses: dict[str, list[str]] | None = None,
                 metrics: dict[str, float] | None = None, solution_exists: bool = False) -> None:
        self.s3 = s3
        self.statuses = {"import": ["ACTIVE"], "training": ["ACTIVE"], "batch": ["ACTIVE"], **(statuses or {})}
        self.metrics = metrics or {"precision_at_10": 0.1, "normalized_discounted_cumulative_gain_at_10": 0.2,
                                   "coverage": 0.5}
        self.calls: dict[str, list[dict]] = defaultdict(list)
        self.solutions: dict[str, dict] = {}
        self.versions: list[dict] = []
        self.jobs: dict[str, dict] = {}
        self.solution_exists = solution_exists

    def _next(self, kind: str, arn: str) -> str:
        job = self.jobs[arn]
        job["polls"] += 1
        script = self.statuses[kind]
        return script[min(job["polls"], len(script)) - 1]

    # --- imports --------------------------------------------------------------------------------------------
    def create_dataset_import_job(self, **request):
        self.calls["create_dataset_import_job"].append(request)
        arn = f"arn:aws:personalize:us-east-1:123456789012:dataset-import-job/{request['jobName']}"
        self.jobs[arn] = {"polls": 0}
        return {"datasetImportJobArn": arn}

    def describe_dataset_import_job(self, datasetImportJobArn):
        status = self._next("import", datasetImportJobArn)
        return {"datasetImportJob": {"datasetImportJobArn": datasetImportJobArn, "status": status,
                                     **({"failureReason": "Import failed: bad CSV"} if "FAILED" in status else {})}}

    # --- solutions ------------------------------------------------------------------------------------------
    def create_solution(self, **request):
        self.calls["create_solution"].append(request)
        arn = f"arn:aws:personalize:us-east-1:123456789012:solution/{request['name']}"
        if self.solution_exists or arn in self.solutions:
            raise ResourceAlreadyExistsException(arn)
        self.solutions[arn] = {"solutionArn": arn, "status": "ACTIVE",
                               "performAutoTraining": request.get("performAutoTraining", True)}
        return {"solutionArn": arn}

    def describe_solution(self, solutionArn):
        return {"solution": self.solutions.get(solutionArn) or {"solutionArn": solutionArn, "status": "ACTIVE",
                                                                "performAutoTraining": False}}

    def get_paginator(self, name):
        assert name == "list_solution_versions"
        return SimpleNamespace(paginate=lambda solutionArn: [{"solutionVersions": [
            {**v, "status": self.jobs[v["solutionVersionArn"]].get("status", v["status"])} for v in self.versions
            if v["solutionVersionArn"].startswith(solutionArn)]}])

    def add_version(self, solution_arn: str, suffix: str, created: datetime, status: str = "ACTIVE") -> str:
        arn = f"{solution_arn}/{suffix}"
        self.versions.append({"solutionVersionArn": arn, "status": status, "creationDateTime": created})
        self.jobs[arn] = {"polls": 0, "status": status}
        return arn

    def create_solution_version(self, **request):
        self.calls["create_solution_version"].append(request)
        arn = self.add_version(request["solutionArn"], f"v{len(self.versions)}", datetime.now(UTC),
                               "CREATE IN_PROGRESS")
        return {"solutionVersionArn": arn}

    def describe_solution_version(self, solutionVersionArn):
        status = self._next("training", solutionVersionArn)
        self.jobs[solutionVersionArn]["status"] = status
        return {"solutionVersion": {"solutionVersionArn": solutionVersionArn, "status": status}}

    def get_solution_metrics(self, solutionVersionArn):
        return {"solutionVersionArn": solutionVersionArn, "metrics": dict(self.metrics)}

    def update_campaign(self, **request):
        self.calls["update_campaign"].append(request)
        return {"campaignArn": request["campaignArn"]}

    # --- batch inference --------------------------------------------------------------------------------------
    def create_batch_inference_job(self, **request):
        self.calls["create_batch_inference_job"].append(request)
        arn = f"arn:aws:personalize:us-east-1:123456789012:batch-inference-job/{request['jobName']}"
        self.jobs[arn] = {"polls": 0, "request": request}
        return {"batchInferenceJobArn": arn}

    def describe_batch_inference_job(self, batchInferenceJobArn):
        status = self._next("batch", batchInferenceJobArn)
        if status == "ACTIVE":
            self._write_output(self.jobs[batchInferenceJobArn]["request"])
        return {"batchInferenceJob": {"batchInferenceJobArn": batchInferenceJobArn, "status": status}}

    def _write_output(self, request: dict) -> None:
        bucket, _, key = request["jobInput"]["s3DataSource"]["path"].removeprefix("s3://").partition("/")
        users = [json.loads(line)["userId"] for line in
                 self.s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode().splitlines()]
        out_bucket, _, out_prefix = request["jobOutput"]["s3DataDestination"]["path"].removeprefix("s3://").partition("/")
        body = "".join(contract.output_line(u, [f"item-{(i * 7 + len(u)) % 50:04d}" for i in range(request["numResults"])],
                                            [1.0 / (i + 1) for i in range(request["numResults"])]) for u in users)
        self.s3.put_object(Bucket=out_bucket, Key=f"{out_prefix}{key.rsplit('/', 1)[-1]}.out", Body=body.encode())
