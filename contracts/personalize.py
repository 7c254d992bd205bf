"""What predictive user engagement exchanges with Amazon Personalize, and what it writes onto a profile.

One module, imported by every producer and consumer: the Pulumi component (the interactions schema it
registers), the export Lambda (the interactions CSV it writes, the batch-inference input), the local
recommender stand-in (the batch-inference output it emits) and the writer Lambda (the output it parses, the
profile attributes it writes).

Formats, from the Personalize developer guide:
- interactions CSV: header ``USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE`` (TIMESTAMP in epoch seconds);
  Personalize needs at least 1,000 interactions and 25 users with 2 or more interactions to train.
- batch inference input: JSON lines ``{"userId": "4638"}``, plus ``"filterValues"`` for a filter with placeholders
  (contracts/category_consent.py).
- batch inference output: JSON lines
  ``{"input":{"userId":"4638"},"output":{"recommendedItems":["63992",...],"scores":[0.0152,...]},"error":null}``.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

NAMESPACE = "predictive_engagement"  # the profile-store namespace this solution owns
INTERACTIONS_COLUMNS = ("USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE", "EVENT_VALUE")
MIN_INTERACTIONS = 1000
MIN_USERS_WITH_TWO = 25
MAX_ID_LENGTH = 256  # Personalize USER_ID / ITEM_ID limit


def interactions_schema() -> str:
    """The Avro schema of the interactions dataset (Personalize `CreateSchema`)."""
    return json.dumps({
        "type": "record", "name": "Interactions", "namespace": "com.amazonaws.personalize.schema",
        "fields": [{"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"},
                   {"name": "TIMESTAMP", "type": "long"}, {"name": "EVENT_TYPE", "type": "string"},
                   {"name": "EVENT_VALUE", "type": "float"}],
        "version": "1.0"}, separators=(",", ":"))


# Optional metadata datasets: the team uploads these CSVs (header row as named) to the work bucket's catalogue
# prefix; each run imports whichever exists. CATEGORY_L1 / SEGMENT are categorical (Personalize uses them in
# training and in filters).
CATALOGUE_PREFIX = "predictive-engagement/catalogue/"
ITEMS_COLUMNS = ("ITEM_ID", "CATEGORY_L1", "CREATION_TIMESTAMP")
USERS_COLUMNS = ("USER_ID", "SEGMENT")


def items_schema() -> str:
    return json.dumps({
        "type": "record", "name": "Items", "namespace": "com.amazonaws.personalize.schema",
        "fields": [{"name": "ITEM_ID", "type": "string"},
                   {"name": "CATEGORY_L1", "type": ["null", "string"], "categorical": True},
                   {"name": "CREATION_TIMESTAMP", "type": "long"}], "version": "1.0"}, separators=(",", ":"))


def users_schema() -> str:
    return json.dumps({
        "type": "record", "name": "Users", "namespace": "com.amazonaws.personalize.schema",
        "fields": [{"name": "USER_ID", "type": "string"},
                   {"name": "SEGMENT", "type": ["null", "string"], "categorical": True}], "version": "1.0"},
        separators=(",", ":"))


class InteractionError(ValueError):
    """An exported row Personalize would refuse; `reason` is counted per kind."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason


def interaction_row(user_id: Any, item_id: Any, timestamp: Any, event_type: Any,
                    event_value: Any) -> tuple[str, str, int, str, float]:
    """One validated CSV row, or InteractionError("missing_item_id" | "invalid_id" | "invalid_value")."""
    if item_id is None or item_id == "":
        raise InteractionError("missing_item_id", "no item id in the configured sources")
    for name, value in (("USER_ID", user_id), ("ITEM_ID", item_id)):
        if not isinstance(value, str) or not value or len(value) > MAX_ID_LENGTH or not value.isprintable():
            raise InteractionError("invalid_id", f"{name} {str(value)[:40]!r} is empty, too long or not printable")
    try:
        seconds, weight = int(timestamp), float(event_value)
    except (TypeError, ValueError):
        raise InteractionError("invalid_value", "TIMESTAMP or EVENT_VALUE is not a number") from None
    if seconds <= 0 or not math.isfinite(weight):
        raise InteractionError("invalid_value", "TIMESTAMP must be epoch seconds and EVENT_VALUE finite")
    return user_id, item_id, seconds, str(event_type), weight


@dataclass
class Sufficiency:
    interactions: int
    users: int
    users_with_two: int

    @property
    def sufficient(self) -> bool:
        return self.interactions >= MIN_INTERACTIONS and self.users_with_two >= MIN_USERS_WITH_TWO

    @property
    def message(self) -> str:
        if self.sufficient:
            return (f"{self.interactions} interactions from {self.users} users ({self.users_with_two} with 2 or "
                    f"more): enough to train")
        return (f"not enough data to train: {self.interactions} interactions (Personalize needs "
                f"{MIN_INTERACTIONS}) and {self.users_with_two} users with 2 or more interactions (needs "
                f"{MIN_USERS_WITH_TWO})")


def unload_statement(select: str, destination_prefix: str) -> str:
    """The Athena UNLOAD of the interactions SELECT, as JSON lines (gzip). UNLOAD's TEXTFILE can write neither the
    header row Personalize requires nor quoted fields, so the export Lambda turns these lines into Personalize's
    CSV, counting what it leaves out on the way."""
    if not destination_prefix.startswith("s3://") or not destination_prefix.endswith("/") or "'" in destination_prefix:
        raise ValueError(f"UNLOAD destination {destination_prefix!r} must be an s3:// prefix ending in '/'")
    return f"UNLOAD ({select}) TO '{destination_prefix}' WITH (format = 'JSON', compression = 'GZIP')"


def batch_input_line(user_id: str, filter_values: dict[str, str] | None = None) -> str:
    """One batch-inference input line; `filter_values` fill the filter's placeholders for this user
    (``{"userId": "5", "filterValues": {"GENRES": "\\"horror\\",\\"comedy\\""}}`` in the developer guide)."""
    line: dict[str, Any] = {"userId": user_id}
    if filter_values:
        line["filterValues"] = filter_values
    return json.dumps(line, ensure_ascii=False) + "\n"


class BatchLineError(ValueError):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason


@dataclass(frozen=True)
class Recommendation:
    user_id: str
    items: tuple[str, ...]
    scores: tuple[float, ...]


def parse_output_line(line: str | bytes) -> Recommendation:
    """One batch-inference output line; BatchLineError("malformed" | "job_error" | "no_user") otherwise."""
    try:
        record = json.loads(line)
    except ValueError as error:
        raise BatchLineError("malformed", f"not JSON ({error.__class__.__name__})") from None
    if not isinstance(record, dict) or not isinstance(record.get("input"), dict):
        raise BatchLineError("malformed", "no `input` object")
    user_id = record["input"].get("userId")
    if not isinstance(user_id, str) or not user_id:
        raise BatchLineError("no_user", "`input.userId` is missing")
    if record.get("error"):
        raise BatchLineError("job_error", f"Personalize reported {str(record['error'])[:200]!r} for a user")
    output = record.get("output")
    items = output.get("recommendedItems") if isinstance(output, dict) else None
    scores = output.get("scores", []) if isinstance(output, dict) else None
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise BatchLineError("malformed", "`output.recommendedItems` is not a list of item ids")
    if not isinstance(scores, list) or not all(isinstance(s, (int, float)) and not isinstance(s, bool)
                                               for s in scores):
        raise BatchLineError("malformed", "`output.scores` is not a list of numbers")
    return Recommendation(user_id, tuple(items), tuple(float(s) for s in scores))


def output_line(user_id: str, items: list[str], scores: list[float]) -> str:
    """A batch-inference output line exactly as Personalize writes it (used by the local stand-in)."""
    return json.dumps({"input": {"userId": user_id},
                       "output": {"recommendedItems": items, "scores": [round(float(s), 7) for s in scores]},
                       "error": None}, separators=(",", ":")) + "\n"


def profile_attributes(recommendation: Recommendation, count: int, model_version: str,
                       generated_at: datetime) -> dict[str, Any]:
    """What a profile holds in the `predictive_engagement` namespace (the seed's `recommended_items`)."""
    return {"recommended_items": list(recommendation.items[:count]), "model_version": model_version,
            "generated_at": generated_at.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")}


# --- item ids in real time (the same rules the interactions SQL applies; tests check the two agree) -----------

def item_id_from(sources: tuple[str, ...] | list[str], event_type: str, tags: dict[str, str],
                 link: str | None) -> str | None:
    """The first configured source that yields a non-empty item id (see settings.ITEM_ID_SOURCE)."""
    from urllib.parse import parse_qsl, urlsplit

    for source in sources:
        kind, _, spec = source.partition(":")
        value: str | None = None
        if kind == "tag":
            value = tags.get(spec)
        elif kind == "link_parameter" and link:
            query = urlsplit(link).query
            value = next((v for k, v in parse_qsl(query, keep_blank_values=True) if k == spec), None)
        elif kind == "attribute":
            wanted_type, _, name = spec.rpartition(".")
            value = tags.get(name) if event_type == wanted_type else None
        if value:
            return value
    return None
