"""Batch-inference output -> the profile store (and optionally Connect Customer Profiles), all or nothing.

Two passes over the output: the first validates every line and counts problems, the second writes. A file with
malformed lines or users the job was not asked about (beyond MAX_BAD_LINES, default 0) is refused before
anything is written, so the previous run's recommendations stay what readers see. The profile-store contract
writes the run with its id and promotes it only after the last item, so a crash half way leaves readers on the
previous run too. Users who unsubscribed from everything in the preference center get an empty list (and the
reason) instead of recommendations, also when this run's output does not name them; with the category filter,
items of categories a user opted out of are dropped (consent.py).
"""
from __future__ import annotations

import gzip
import io
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from contracts import personalize as contract
from contracts import profile_store
from contracts.events import PREDICTIVE_ENGAGEMENT_APP_ID, custom_event

from .consent import ConsentGuard, Counts


class BatchOutputRejected(Exception):
    """The batch output cannot be trusted; nothing was written."""


@dataclass
class Report:
    lines: int = 0
    written: int = 0
    skipped_newer: int = 0
    """Users a newer run already wrote (overlapping executions): left as that run wrote them."""
    promoted: bool = True
    """False when a newer run was promoted first: this run changed what readers see for no one it skipped."""
    problems: Counter = field(default_factory=Counter)
    customer_profiles_failed: int = 0
    consent: Counts = field(default_factory=Counts)

    @property
    def suppressed_unsubscribed(self) -> int:
        return self.consent.suppressed_unsubscribed

    def consent_figures(self) -> dict[str, int]:
        return {name: getattr(self.consent, name) for name in Counts.__dataclass_fields__}

    def as_dict(self) -> dict[str, Any]:
        return {"lines": self.lines, "written": self.written, "skipped_newer": self.skipped_newer,
                **self.consent_figures(),
                "problems": dict(self.problems), "customer_profiles_failed": self.customer_profiles_failed}


def split_s3(uri: str) -> tuple[str, str]:
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    return bucket, key


def read_lines(s3: Any, uri: str, suffix: str = "") -> Iterator[bytes]:
    """Lines of one object, or of every object under a prefix ending in `/` (with the given suffix)."""
    bucket, key = split_s3(uri)
    keys = [key]
    if key.endswith("/"):
        keys = sorted(o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=key)
                      for o in page.get("Contents", []) if o["Key"].endswith(suffix))
    for name in keys:
        body = s3.get_object(Bucket=bucket, Key=name)["Body"]
        stream = gzip.GzipFile(fileobj=body) if name.endswith(".gz") else body
        for line in io.BufferedReader(stream):
            if line.strip():
                yield line


def known_users(s3: Any, input_uri: str) -> set[str]:
    return {json.loads(line)["userId"] for line in read_lines(s3, input_uri)}


def validate(lines: Iterator[bytes], known: set[str], report: Report) -> None:
    for line in lines:
        report.lines += 1
        try:
            recommendation = contract.parse_output_line(line)
        except contract.BatchLineError as error:
            report.problems[error.reason] += 1
            continue
        if recommendation.user_id not in known:
            report.problems["unknown_user"] += 1


def refuse_message(report: Report) -> str:
    parts = ", ".join(f"{n} {reason.replace('_', ' ')}" for reason, n in sorted(report.problems.items()))
    return (f"batch output refused, nothing written: {parts} among {report.lines} lines "
            f"(previous recommendations stay in place)")


def attributes(lines: Iterator[bytes], guard: ConsentGuard, count: int, model_version: str,
               generated_at: datetime, report: Report) -> Iterator[tuple[str, dict[str, Any]]]:
    report.consent = guard.counts
    seen: set[str] = set()
    for line in lines:
        try:
            recommendation = contract.parse_output_line(line)
        except contract.BatchLineError:
            continue  # counted and tolerated by validate()
        seen.add(recommendation.user_id)
        items, suppressed = guard.apply(recommendation.user_id, recommendation.items)
        yield recommendation.user_id, _values(recommendation.user_id, items, suppressed, count, model_version,
                                              generated_at)
    # An unsubscribed user drops out of the batch input once they stop engaging; without a row in this run the
    # store would keep showing their older recommendations. Ids the store refuses cannot hold a row anyway.
    for user_id in sorted(guard.unsubscribed() - seen):
        try:
            profile_store.check_customer_id(user_id)
        except profile_store.ProfileStoreError:
            continue
        items, suppressed = guard.apply(user_id, ())
        yield user_id, _values(user_id, items, suppressed, count, model_version, generated_at)


def _values(user_id: str, items: tuple[str, ...], suppressed: str | None, count: int, model_version: str,
            generated_at: datetime) -> dict[str, Any]:
    values = contract.profile_attributes(contract.Recommendation(user_id, items, ()), count, model_version,
                                         generated_at)
    if suppressed:
        values["suppressed"] = suppressed
    return values


def write(dynamodb: Any, table: str, run_id: str, rows: Iterator[tuple[str, dict[str, Any]]],
          report: Report, sink: list | None = None) -> None:
    def counted():
        for customer_id, values in rows:
            if sink is not None:
                sink.append((customer_id, values))
            yield customer_id, values

    result = profile_store.write_run(dynamodb, table, contract.NAMESPACE, run_id, counted())
    report.written, report.skipped_newer = result.written + result.unchanged, result.skipped_newer
    if sink is not None and result.skipped_customers:  # a newer run's value stays, in every copy
        sink[:] = [row for row in sink if row[0] not in result.skipped_customers]
    report.promoted = profile_store.promote(dynamodb, table, contract.NAMESPACE, run_id)


def to_customer_profiles(profiles: Any, domain: str, object_type: str,
                         rows: list[tuple[str, dict[str, Any]]], report: Report) -> None:
    for customer_id, values in rows:
        payload = {"user_id": customer_id, "recommended_items": ",".join(values["recommended_items"]),
                   "model_version": values["model_version"], "generated_at": values["generated_at"]}
        try:
            profiles.put_profile_object(DomainName=domain, ObjectTypeName=object_type, Object=json.dumps(payload))
        except Exception:  # noqa: BLE001 - counted and reported; the profile store already holds the run
            report.customer_profiles_failed += 1


def summary_event(run_id: str, model_version: str, status: str, report: Report, now: datetime) -> dict[str, Any]:
    """The run's summary, built and validated by the events contract as the transform will read it."""
    metrics = {"lines": report.lines, "written": report.written, "skipped_newer": report.skipped_newer,
               **report.consent_figures(),
               "customer_profiles_failed": report.customer_profiles_failed,
               **{f"problem_{k}": v for k, v in report.problems.items()}}
    return custom_event("predictive_engagement.run", int(now.timestamp() * 1000), app_id=PREDICTIVE_ENGAGEMENT_APP_ID,
                        attributes={"run_id": run_id, "model_version": model_version, "status": status},
                        metrics={k: float(v) for k, v in metrics.items()})
