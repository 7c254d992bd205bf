"""The profile store: one DynamoDB table where each predictive solution keeps its own attributes per customer.

Layout (the table is built by components/profile_store.py with exactly these key names):

- one item per (customer, namespace): ``customer_id`` (hash key), ``namespace`` (range key), ``run_id``,
  ``written_at``, ``attributes`` (a map the owning solution defines) and ``previous`` (the run before it, same
  shape; when that run is incomplete, its own ``previous`` is the last complete value). A solution writes only
  items of its own namespace, so two solutions never overwrite each other.
- one pointer item per namespace: ``customer_id = "#run"``, ``namespace``, ``run_id`` of the last run that
  finished writing (promoted), ``promoted_at``.

A run writes every customer's item (moving the item's current value to ``previous``), then promotes its run id.
A reader resolves an item with :func:`effective`: while a run is incomplete (crashed, or still writing), its
items are newer than the pointer, and the reader gets the newest ``previous`` value no newer than the pointer,
i.e. the last complete run. So a
failed run never leaves customers half on the new and half on the old model; rerunning the same run id is
idempotent, and an older run never overwrites a newer one.

Pure Python (no boto3 import): the functions take a low-level DynamoDB client, so Lambdas (which bundle this
package through ``shared-packages.txt``), local modes (moto) and tests use the same code.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

HASH_KEY = "customer_id"
RANGE_KEY = "namespace"
POINTER_ID = "#run"
# The solutions that own a namespace; a new writer adds its own here (one owner per namespace).
NAMESPACES = ("predictive_segmentation", "predictive_engagement")
BATCH_GET_LIMIT = 100  # DynamoDB BatchGetItem
BATCH_WRITE_LIMIT = 25  # DynamoDB BatchWriteItem
_RUN_ID = re.compile(r"^\d{8}T\d{6}Z(-[A-Za-z0-9_.-]{1,64})?$")


class ProfileStoreError(ValueError):
    """A request the profile store refuses (unknown namespace, bad customer id, bad run id)."""


@dataclass(frozen=True)
class Profile:
    """One customer's attributes of one namespace, as a reader should see them."""

    customer_id: str
    namespace: str
    run_id: str
    attributes: dict[str, Any]


def run_id_for(moment: datetime, suffix: str = "") -> str:
    """Run ids sort by time (``20261206T030000Z[-suffix]``), so "newer" is a string comparison."""
    stamp = moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return check_run_id(f"{stamp}-{suffix}" if suffix else stamp)


def check_run_id(run_id: str) -> str:
    if not isinstance(run_id, str) or not _RUN_ID.match(run_id):
        raise ProfileStoreError(f"run id {run_id!r} is not of the form 20261206T030000Z[-suffix]")
    return run_id


def check_namespace(namespace: str) -> str:
    if namespace not in NAMESPACES:
        raise ProfileStoreError(f"namespace {namespace!r} is not one of {NAMESPACES}")
    return namespace


def check_customer_id(customer_id: Any) -> str:
    if not isinstance(customer_id, str) or not customer_id or len(customer_id.encode()) > 1024:
        raise ProfileStoreError(f"customer id {customer_id!r} must be a non-empty string of at most 1024 bytes")
    if customer_id.startswith("#"):
        raise ProfileStoreError(f"customer id {customer_id!r} starts with '#', which the store reserves")
    return customer_id


# --- DynamoDB attribute values (the low-level client's wire format) ---------------------------------------

def to_dynamodb(value: Any) -> dict[str, Any]:
    """A Python value as a DynamoDB attribute value. Floats become exact decimal strings; NaN/inf are refused."""
    if value is None:
        return {"NULL": True}
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, int):
        return {"N": str(value)}
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ProfileStoreError(f"{value!r} cannot be stored (DynamoDB numbers are finite)")
        return {"N": repr(value)}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, Mapping):
        return {"M": {str(k): to_dynamodb(v) for k, v in value.items()}}
    if isinstance(value, (list, tuple)):
        return {"L": [to_dynamodb(v) for v in value]}
    raise ProfileStoreError(f"{type(value).__name__} values cannot be stored in the profile store")


def from_dynamodb(value: Mapping[str, Any]) -> Any:
    (kind, inner), = value.items()
    if kind == "NULL":
        return None
    if kind in ("S", "BOOL"):
        return inner
    if kind == "N":
        number = float(inner)
        return int(inner) if number.is_integer() and not any(c in inner for c in ".eE") else number
    if kind == "M":
        return {k: from_dynamodb(v) for k, v in inner.items()}
    if kind == "L":
        return [from_dynamodb(v) for v in inner]
    raise ProfileStoreError(f"unexpected DynamoDB type {kind}")


def _key(customer_id: str, namespace: str) -> dict[str, Any]:
    return {HASH_KEY: {"S": customer_id}, RANGE_KEY: {"S": namespace}}


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


# --- writing a run ------------------------------------------------------------------------------------------

@dataclass
class WriteReport:
    written: int = 0
    unchanged: int = 0
    """Items that already held this run (a replay): rewritten with the same value, previous kept."""
    skipped_newer: int = 0
    """Items that already hold a newer run: left alone."""
    skipped_customers: set[str] = field(default_factory=set)
    """Their customer ids: a copy elsewhere (e.g. Customer Profiles) must not get this run's older value."""


def write_run(client: Any, table: str, namespace: str, run_id: str,
              attributes_by_customer: Iterable[tuple[str, Mapping[str, Any]]],
              now: datetime | None = None, max_retries: int = 8) -> WriteReport:
    """Write one run's attributes for many customers with batched reads and writes (100 / 25 per call).

    Each item's current value moves to ``previous`` unless it is already this run (a replay) or a run newer
    than the promoted one (an incomplete run, never seen by readers: the item keeps its ``previous``, the last
    complete value). Unprocessed keys and items are retried with backoff; after ``max_retries`` the error
    propagates and the run is not promoted, so readers keep the previous run.
    """
    check_namespace(namespace)
    check_run_id(run_id)
    promoted = promoted_run(client, table, namespace) or ""
    written_at = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    report = WriteReport()
    pending: dict[str, Mapping[str, Any]] = {}
    for customer_id, attributes in attributes_by_customer:
        pending[check_customer_id(customer_id)] = attributes
        if len(pending) == BATCH_GET_LIMIT:
            _write_batch(client, table, namespace, run_id, written_at, pending, report, max_retries, promoted)
            pending = {}
    if pending:
        _write_batch(client, table, namespace, run_id, written_at, pending, report, max_retries, promoted)
    return report


def _write_batch(client: Any, table: str, namespace: str, run_id: str, written_at: str,
                 batch: Mapping[str, Mapping[str, Any]], report: WriteReport, max_retries: int,
                 promoted: str) -> None:
    current = _batch_get(client, table, [_key(c, namespace) for c in batch], max_retries)
    puts = []
    for customer_id, attributes in batch.items():
        item = {**_key(customer_id, namespace), "run_id": {"S": run_id}, "written_at": {"S": written_at},
                "attributes": to_dynamodb(dict(attributes))}
        existing = current.get(customer_id)
        if existing is not None:
            existing_run = existing.get("run_id", {}).get("S", "")
            if existing_run > run_id:
                report.skipped_newer += 1
                report.skipped_customers.add(customer_id)
                continue
            if existing_run == run_id:
                if "previous" in existing:
                    item["previous"] = existing["previous"]
                report.unchanged += 1
            else:
                item["previous"] = {"M": _previous_value(existing, promoted)}
                report.written += 1
        else:
            report.written += 1
        puts.append({"PutRequest": {"Item": item}})
    for chunk in _chunks(puts, BATCH_WRITE_LIMIT):
        _batch_write(client, table, chunk, max_retries)


def _previous_value(existing: Mapping[str, Any], promoted: str) -> dict[str, Any]:
    """The value a write moves into ``previous``. An incomplete run's value (newer than the promoted run) keeps
    the last complete value of its chain as its own ``previous``, so readers never fall back onto a run that was
    never promoted, and a rerun that completes that run later still finds its value."""
    moved = {name: existing[name] for name in ("run_id", "written_at", "attributes") if name in existing}
    if existing.get("run_id", {}).get("S", "") > promoted:
        complete = _complete_value(existing.get("previous", {}).get("M"), promoted)
        if complete is not None:
            moved["previous"] = {"M": {k: v for k, v in complete.items() if k != "previous"}}
    return moved


def _complete_value(value: Mapping[str, Any] | None, promoted: str | None) -> Mapping[str, Any] | None:
    """The first value of a ``previous`` chain written by a run no newer than the promoted one."""
    while value is not None and promoted is not None:
        if "run_id" in value and value["run_id"]["S"] <= promoted:
            return value
        value = value.get("previous", {}).get("M")
    return None


def _sleep(attempt: int) -> None:
    import random
    import time

    time.sleep(min(2.0, 0.05 * 2 ** attempt) * random.uniform(0.5, 1.0))


def _batch_get(client: Any, table: str, keys: list[dict[str, Any]], max_retries: int) -> dict[str, dict]:
    found: dict[str, dict] = {}
    request = {table: {"Keys": keys, "ConsistentRead": True}}
    for attempt in range(max_retries + 1):
        response = client.batch_get_item(RequestItems=request)
        for item in response.get("Responses", {}).get(table, []):
            found[item[HASH_KEY]["S"]] = item
        request = response.get("UnprocessedKeys") or {}
        if not request:
            return found
        _sleep(attempt)
    raise ProfileStoreError(f"DynamoDB left {len(request[table]['Keys'])} keys unread after {max_retries} retries")


def _batch_write(client: Any, table: str, requests: list[dict[str, Any]], max_retries: int) -> None:
    unprocessed = {table: requests}
    for attempt in range(max_retries + 1):
        response = client.batch_write_item(RequestItems=unprocessed)
        unprocessed = response.get("UnprocessedItems") or {}
        if not unprocessed:
            return
        _sleep(attempt)
    raise ProfileStoreError(f"DynamoDB left {len(unprocessed[table])} writes unprocessed after {max_retries} retries")


def promote(client: Any, table: str, namespace: str, run_id: str, now: datetime | None = None) -> bool:
    """Mark ``run_id`` as the namespace's complete run, unless a newer run is already promoted.

    Returns False (and changes nothing) when a newer run was promoted first."""
    check_namespace(namespace)
    check_run_id(run_id)
    promoted_at = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    try:
        client.put_item(
            TableName=table,
            Item={**_key(POINTER_ID, namespace), "run_id": {"S": run_id}, "promoted_at": {"S": promoted_at}},
            ConditionExpression="attribute_not_exists(run_id) OR run_id <= :run",
            ExpressionAttributeValues={":run": {"S": run_id}})
    except client.exceptions.ConditionalCheckFailedException:
        return False
    return True


def promoted_run(client: Any, table: str, namespace: str) -> str | None:
    check_namespace(namespace)
    item = client.get_item(TableName=table, Key=_key(POINTER_ID, namespace), ConsistentRead=True).get("Item")
    return item["run_id"]["S"] if item else None


# --- reading ------------------------------------------------------------------------------------------------

def effective(item: Mapping[str, Any], promoted_run_id: str | None) -> Profile | None:
    """What a reader should see of one stored item (low-level wire format), given the promoted run id.

    An item written by a run newer than the promoted one (incomplete) falls back along its ``previous`` chain
    to the newest value of a run no newer than it; with nothing promoted yet, nothing is visible."""
    customer_id, namespace = item[HASH_KEY]["S"], item[RANGE_KEY]["S"]
    candidate = _complete_value(item, promoted_run_id)
    if candidate is None:
        return None
    return Profile(customer_id, namespace, candidate["run_id"]["S"], from_dynamodb(candidate["attributes"]))


def read_profile(client: Any, table: str, customer_id: str) -> dict[str, Profile]:
    """Every namespace's effective attributes of one customer: ``{namespace: Profile}``."""
    check_customer_id(customer_id)
    items = client.query(TableName=table, KeyConditionExpression="#c = :c",
                         ExpressionAttributeNames={"#c": HASH_KEY},
                         ExpressionAttributeValues={":c": {"S": customer_id}}, ConsistentRead=True)["Items"]
    out: dict[str, Profile] = {}
    for item in items:
        namespace = item[RANGE_KEY]["S"]
        profile = effective(item, promoted_run(client, table, namespace))
        if profile is not None:
            out[namespace] = profile
    return out
