"""Every record the transform accepts lands in a `dt` partition that Athena's partition projection reads: a
record the table cannot show must go to the error prefix (seen, replayable), not into a partition no query
projects (stored, billed, and silently missing from every view)."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

import pytest
from transform_helpers import firehose_request

from contracts.events import custom_event, partition_projection_parameters
from functions.events_transform.handler import lambda_handler
from tools.lambda_context import LocalLambdaContext


def projected_days(now: datetime) -> tuple[date, date]:
    """The first and last day Athena projects for `projection.dt.range` at `now` (UTC), per the Athena guide's
    grammar: an absolute date or NOW[+-]<n>DAYS."""
    def bound(text: str) -> date:
        relative = re.fullmatch(r"NOW(?:([+-])(\d+)DAYS?)?", text)
        if relative is None:
            return date.fromisoformat(text)
        sign, days = relative.groups()
        return (now + timedelta(days=int(days or 0) * (-1 if sign == "-" else 1))).date()

    low, high = partition_projection_parameters("b")["projection.dt.range"].split(",")
    return bound(low), bound(high)


def outcome(when: str | int) -> tuple[str, str | None]:
    event = custom_event("checkout.completed", "2026-01-01T00:00:00Z", app_id="shop")
    event["event_timestamp"] = when
    [out] = lambda_handler(firehose_request(event), LocalLambdaContext("events-transform"))["records"]
    return out["result"], (out.get("metadata") or {}).get("partitionKeys", {}).get("dt")


NOW = datetime.now(timezone.utc)


@pytest.mark.parametrize("when", [
    "2000-01-01T00:00:00Z",  # the first day the contract accepted
    "2014-12-31T23:59:59.999Z",
    "2015-01-01T00:00:00Z",
    # a client in UTC+14 sending its local time without an offset (naive = UTC): up to 14 hours ahead
    (NOW + timedelta(hours=14)).strftime("%Y-%m-%dT%H:%M:%S"),
    NOW.strftime("%Y-%m-%dT23:59:59.999Z"),  # the last millisecond of today, UTC
])
def test_an_accepted_event_is_in_a_projected_partition(when):
    result, dt = outcome(when)
    if result == "Ok":
        low, high = projected_days(NOW)
        assert low <= date.fromisoformat(dt) <= high, (when, dt, low, high)
    else:
        assert result == "ProcessingFailed"


def test_the_day_boundary_is_utc():
    assert outcome("2026-03-01T23:59:59.999Z") == ("Ok", "2026-03-01")
    assert outcome("2026-03-02T00:00:00.000Z") == ("Ok", "2026-03-02")
    assert outcome("2026-03-02T01:00:00.000+02:00") == ("Ok", "2026-03-01")
