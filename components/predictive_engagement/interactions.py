"""The interactions export: the SQL rendered from the stack config, and the UNLOAD that runs it on Athena.

Pure Python (no pulumi, no third-party imports): the component, the local mode and the SQL tests render the
same text. Config values reach the SQL only after settings.py validated them against a strict character set
(no quotes), and each is quoted again here.
"""
from __future__ import annotations

from pathlib import Path

from .settings import PredictiveEngagementSettings

SQL_PATH = Path(__file__).resolve().parents[2] / "sql" / "predictive_engagement" / "interactions.sql"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def item_id_expression(sources: tuple[str, ...]) -> str:
    """`coalesce(...)` over the configured sources; an empty match counts as no match."""
    parts = []
    for source in sources:
        kind, _, spec = source.partition(":")
        if kind == "tag":
            parts.append(f"NULLIF(element_at(tags, {_quote(spec)}), '')")
        elif kind == "link_parameter":
            # regexp_extract gives NULL (Athena) or '' (DuckDB) without a match; NULLIF makes both NULL. The
            # value is percent-decoded like the real-time path (contracts.personalize.item_id_from) decodes it.
            pattern = f"[?&]{spec}=([^&#]*)"
            parts.append("NULLIF(url_decode(regexp_extract(element_at(channel_data, 'link'), "
                         f"{_quote(pattern)}, 1)), '')")
        elif kind == "attribute":
            event_type, _, attribute = spec.rpartition(".")
            parts.append(f"CASE WHEN event_type = {_quote(event_type)} "
                         f"THEN NULLIF(element_at(tags, {_quote(attribute)}), '') END")
        else:  # settings.py refuses anything else; a new kind must be added in both places
            raise ValueError(f"unknown item id source {source!r}")
    return parts[0] if len(parts) == 1 else "coalesce(" + ", ".join(parts) + ")"


def event_value_expression(weighted: tuple[tuple[str, float], ...]) -> str:
    cases = " ".join(f"WHEN {_quote(name)} THEN {weight!r}" for name, weight in weighted if weight != 1.0)
    return f"CAST(CASE event_type {cases} ELSE 1.0 END AS DOUBLE)" if cases else "CAST(1.0 AS DOUBLE)"


def athena_since(lookback_days: int) -> str:
    return f"date_format(date_add('day', -{int(lookback_days)}, current_date), '%Y-%m-%d')"


def render_select(settings: PredictiveEngagementSettings, since: str | None = None) -> str:
    """The SELECT; `since` is a SQL expression for the first day (default: today minus the lookback)."""
    template = SQL_PATH.read_text()
    body = "\n".join(line for line in template.splitlines() if not line.startswith("--"))
    return body.format(
        item_id=item_id_expression(settings.item_id_sources),
        event_value=event_value_expression(settings.weighted_event_types),
        event_types=", ".join(_quote(name) for name, _ in settings.weighted_event_types),
        since=since or athena_since(settings.lookback_days)).strip()
