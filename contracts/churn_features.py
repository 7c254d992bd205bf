"""The churn feature contract: which columns the feature query produces and the model consumes, in order.

One definition serves the SQL (sql/predictive_segmentation/features.sql is rendered from it), training and
inference (both encode rows with `FeatureSpec`), so a feature cannot mean one thing when training and another
when scoring. Rendering happens in two stages: at deploy time (or in a local run) `render` fills in the tables,
the attribute columns and the windows; at run time `bind` fills in the `as_of` date, a validated literal, so the
query never reads the clock (`now()`), and replaying a day gives the same features.

Pure Python with no third-party imports: the Pulumi component, the Lambda functions, the SageMaker training and
inference code and the local tools all import it.
"""
from __future__ import annotations

import math
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

# Engagement kinds the query counts per customer, each from one events-database view.
EVENT_KINDS = ("send", "delivery", "open", "click", "bounce", "complaint", "unsubscribe")
ID_COLUMN = "customer_id"
ADDRESS_COLUMN = "address"
LABEL_COLUMN = "label"
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,127}$")


class FeatureSpecError(ValueError):
    """A feature or attribute setting that cannot work; the message names the setting and the fix."""


def sanitize(column: str) -> str:
    """The Glue/Athena name of an attributes-file column: `Attributes.AccountLength` -> `attributes_accountlength`.

    Athena accepts only lower-case letters, digits and underscores in column names; files keep their headers."""
    name = re.sub(r"[^a-z0-9_]+", "_", column.strip().lower()).strip("_")
    if not name:
        raise FeatureSpecError(f"attribute column {column!r} has no letters or digits to name it by")
    return name if not name[0].isdigit() else f"c_{name}"


@dataclass(frozen=True)
class AttributeSpec:
    """The customer-attributes file: every column in file order, and the role of each one used."""

    columns: tuple[str, ...]
    id_column: str
    label_column: str
    numeric: tuple[str, ...] = ()
    categorical: tuple[str, ...] = ()
    address_column: str | None = None

    def __post_init__(self) -> None:
        if not self.columns:
            raise FeatureSpecError("the attributes file needs its column list (predictiveSegmentationAttributeColumns)")
        names = [sanitize(c) for c in self.columns]
        if len(set(names)) != len(names):
            raise FeatureSpecError(f"attribute columns {list(self.columns)} collide once lower-cased as {names}")
        roles = {"id column": [self.id_column], "label column": [self.label_column],
                 "numeric column": list(self.numeric), "categorical column": list(self.categorical),
                 "address column": [self.address_column] if self.address_column else []}
        for role, columns in roles.items():
            for column in columns:
                if column not in self.columns:
                    close = [c for c in self.columns if c.lower() == column.lower()]
                    hint = f" (did you mean {close[0]!r}?)" if close else ""
                    raise FeatureSpecError(f"{role} {column!r} is not a column of the attributes file "
                                           f"{list(self.columns)}{hint}")
        features = list(self.numeric) + list(self.categorical)
        if len(set(features)) != len(features):
            raise FeatureSpecError("a column is listed twice among the numeric and categorical columns")
        reserved = {self.id_column, self.label_column, self.address_column} & set(features)
        if reserved:
            raise FeatureSpecError(f"{sorted(c for c in reserved if c)} cannot be a feature: it is the id, label or "
                                   "address column")

    @property
    def glue_columns(self) -> list[str]:
        return [sanitize(c) for c in self.columns]


@dataclass(frozen=True)
class FeatureSpec:
    attributes: AttributeSpec
    windows: tuple[int, ...] = (7, 30, 90)
    """Look-back windows in days for the engagement counts; recency is capped at the longest."""

    def __post_init__(self) -> None:
        if not self.windows or any(not isinstance(w, int) or not 1 <= w <= 730 for w in self.windows) or \
                len(set(self.windows)) != len(self.windows):
            raise FeatureSpecError(f"windows {self.windows} must be distinct whole days between 1 and 730")

    @property
    def history_days(self) -> int:
        return max(self.windows)

    @property
    def attribute_features(self) -> list[str]:
        return [sanitize(c) for c in (*self.attributes.numeric, *self.attributes.categorical)]

    @property
    def activity_features(self) -> list[str]:
        counts = [f"{kind}_count_{w}d" for kind in EVENT_KINDS for w in sorted(self.windows)]
        return counts + [f"days_since_{kind}" for kind in EVENT_KINDS]

    @property
    def categorical_features(self) -> list[str]:
        return [sanitize(c) for c in self.attributes.categorical]

    @property
    def feature_columns(self) -> list[str]:
        """Model inputs in order: attribute columns (numeric, then categorical), then engagement activity."""
        return self.attribute_features + self.activity_features

    @property
    def output_columns(self) -> list[str]:
        """What the feature query returns, in order."""
        return [ID_COLUMN, ADDRESS_COLUMN, LABEL_COLUMN, *self.feature_columns]

    def to_json(self) -> dict[str, Any]:
        a = self.attributes
        return {"columns": list(a.columns), "id_column": a.id_column, "label_column": a.label_column,
                "numeric": list(a.numeric), "categorical": list(a.categorical), "address_column": a.address_column,
                "windows": list(self.windows)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FeatureSpec:
        return cls(AttributeSpec(tuple(data["columns"]), data["id_column"], data["label_column"],
                                 tuple(data.get("numeric", ())), tuple(data.get("categorical", ())),
                                 data.get("address_column")), tuple(data["windows"]))


def _quoted(identifier: str) -> str:
    """A table reference `db.table` as Athena and DuckDB both read it; refuses anything but plain names."""
    parts = identifier.split(".")
    if not all(_IDENTIFIER.match(p) for p in parts) or len(parts) > 2:
        raise FeatureSpecError(f"{identifier!r} is not a plain lower-case `database.table` name")
    return ".".join(f'"{p}"' for p in parts)


def render(template: str, spec: FeatureSpec, events_database: str, attributes_table: str) -> str:
    """Deploy-time rendering: tables, attribute columns, windows. `${as_of}`/`${history_start}` stay for `bind`."""
    a = spec.attributes
    as_of = "TIMESTAMP '${as_of} 00:00:00'"
    address = f'lower(trim(CAST("{sanitize(a.address_column)}" AS VARCHAR)))' if a.address_column else \
        "CAST(NULL AS VARCHAR)"
    attribute_select = [f'TRY_CAST("{sanitize(c)}" AS DOUBLE) AS "{sanitize(c)}"' for c in a.numeric]
    attribute_select += [f'CAST("{sanitize(c)}" AS VARCHAR) AS "{sanitize(c)}"' for c in a.categorical]
    counts, finals = [], []
    for kind in EVENT_KINDS:
        for window in sorted(spec.windows):
            name = f"{kind}_count_{window}d"
            counts.append(f"count_if(kind = '{kind}' AND event_timestamp >= {as_of} - INTERVAL '{window}' DAY) "
                          f"AS {name}")
            finals.append(f"coalesce(activity.{name}, 0) AS {name}")
    for kind in EVENT_KINDS:
        counts.append(f"max(CASE WHEN kind = '{kind}' THEN event_timestamp END) AS last_{kind}")
        # Whole days since the last event, capped: "never within the history" reads as the cap. Epoch
        # arithmetic, because date_diff counts calendar boundaries in DuckDB but elapsed days in Athena.
        finals.append(f"least(coalesce(floor((to_unixtime({as_of}) - to_unixtime(activity.last_{kind})) / 86400), "
                      f"{spec.history_days}), {spec.history_days}) AS days_since_{kind}")
    values = {
        "events_database": _quoted(events_database), "attributes_table": _quoted(attributes_table),
        "id_column": f'"{sanitize(a.id_column)}"', "label_column": f'"{sanitize(a.label_column)}"',
        "address_expression": address,
        "attribute_select": "".join(f",\n    {line}" for line in attribute_select),
        "attribute_columns": "".join(f',\n  customers."{c}"' for c in spec.attribute_features),
        "activity_aggregates": ",\n    ".join(counts), "activity_features": ",\n  ".join(finals),
        "as_of_timestamp": as_of,
    }
    return string.Template(template).safe_substitute(values)


def bind(sql: str, as_of: date, spec: FeatureSpec) -> str:
    """Run-time binding of the as_of date (features see events strictly before it) and the history start."""
    if not isinstance(as_of, date):
        raise FeatureSpecError(f"as_of must be a date, got {as_of!r}")
    history_start = as_of - timedelta(days=spec.history_days)
    bound = string.Template(sql).substitute(as_of=as_of.isoformat(), history_start=history_start.isoformat())
    return bound


def placeholders(sql: str) -> set[str]:
    return {m.group("named") or m.group("braced") for m in string.Template.pattern.finditer(sql)
            if m.group("named") or m.group("braced")}



def psi(reference: list[float], current: list[float]) -> float:
    """Population stability index between two share vectors of the same bins (0.1 moderate, 0.25 major shift).

    Training stores each numeric feature's quantile edges and the share of rows per bin (the last share is the
    missing values); scoring runs count their rows into the same bins (a value v falls in bin = number of edges
    <= v) and report the index per feature as drift."""
    if len(reference) != len(current):
        raise FeatureSpecError("drift bins differ between training and scoring")
    total = 0.0
    for expected, actual in zip(reference, current):
        expected, actual = max(expected, 1e-4), max(actual, 1e-4)
        total += (actual - expected) * math.log(actual / expected)
    return total


def training_as_of(as_of: date, label_window_days: int) -> date:
    """Training features are taken one label window before the labels (the attributes' churn flag today), so
    the model learns what the data looked like before customers churned, exactly what scoring sees."""
    return as_of - timedelta(days=label_window_days)


def check_history(earliest_event_day: date | None, as_of: date, label_window_days: int) -> None:
    """Refuse to train unless the events reach back at least one label window before as_of."""
    start = training_as_of(as_of, label_window_days)
    if earliest_event_day is None:
        raise FeatureSpecError("the events database holds no email events yet; training needs at least "
                               f"{label_window_days} days of history (predictiveSegmentationLabelWindowDays)")
    if earliest_event_day > start:
        raise FeatureSpecError(
            f"email events start on {earliest_event_day}, but training as of {as_of} needs events from {start} "
            f"(one label window of {label_window_days} days before); wait until then, import history with "
            "tools.import_history, or shorten predictiveSegmentationLabelWindowDays")
