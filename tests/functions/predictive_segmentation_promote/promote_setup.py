"""Shared by the promote tests: the bucket, the stack's Model prefix, candidates as training writes them, calls."""
from __future__ import annotations

import io
import json
import tarfile

from contracts import churn_scores

BUCKET = "seg"
PREFIX = "churn-0123456789-"  # what components/predictive_segmentation/access.model_prefix() gives a stack


def _tar(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _candidate(s3, job: str, version: str, passed: bool) -> None:
    gate = {"passed": passed, "reasons": [] if passed else ["hold-out PR-AUC 0.120 is below the floor 0.3"],
            "pr_auc": 0.7 if passed else 0.12}
    base = f"{churn_scores.CANDIDATES_PREFIX}{job}/output/"
    s3.put_object(Bucket=BUCKET, Key=base + "model.tar.gz", Body=_tar({
        "model.ubj": b"model", "gate.json": json.dumps(gate).encode(),
        "meta.json": json.dumps({"model_version": version, "threshold": 0.4}).encode()}))
    s3.put_object(Bucket=BUCKET, Key=base + "output.tar.gz", Body=_tar({
        "report.html": b"<html>", "pr.svg": b"<svg/>", "evaluation.json": b"{}", "../escape.html": b"x"}))


def _call(action, job, version, lambda_context):
    from functions.predictive_segmentation_promote.handler import lambda_handler

    return lambda_handler({"action": action, "plan": {"training_job": job, "model_version": version}},
                          lambda_context)


def _current(s3):
    return json.loads(s3.get_object(Bucket=BUCKET, Key=churn_scores.CURRENT_META_KEY)["Body"].read())
