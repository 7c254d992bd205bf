"""Deterministic customers and engagement events with a planted, learnable churn signal.

    python -m tools.sample_customers --customers 2000 --out out/churn-sample

Writes `customers.csv` in the seed's endpoint-export shape (`ChannelType,Id,Address,Attributes.*`, label
`Attributes.Churn`) and `events.jsonl`: the records producers put on the events stream, i.e. SES event
publishing JSON (Send, Delivery, Open, Click, Bounce, Complaint, Subscription) and custom application events.
Nothing here is canonical: tools/churn_local.py pushes the records through the real events transform.

The signal (invented, stated here so tests can rely on it): every customer gets one campaign email a week for
`days` days before `labels_at`. A churner's opens and clicks collapse 45-100 days before `labels_at` (some
unsubscribe or complain then), and churners lean to plan B with low weekday usage. Retained customers keep
their own open rate, a few with a temporary dip (noise). About 10 % churn. Half the customers are tagged with
their user id on each message; the other half are known only by address, so both ways of attributing an event
to a customer are exercised.
"""
from __future__ import annotations

import argparse
import csv
import json
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from tools.sample_events import custom_app_event, ses_detail, ses_mail

SEED_COLUMNS = ("ChannelType", "Id", "Address", "Attributes.AccountLength", "Attributes.PlanOptionA",
                "Attributes.PlanOptionB", "Attributes.PlanOptionC", "Attributes.UsageWeekdays",
                "Attributes.UsageWeekends", "Attributes.SharedWithFriend", "Attributes.Churn")


@dataclass(frozen=True)
class Customer:
    id: str
    address: str
    attributes: dict[str, int]
    churned: bool
    open_rate: float
    drop_day: int | None  # days before labels_at when engagement collapses (churners), else None
    tagged: bool


def make_customers(count: int, seed: int = 11) -> list[Customer]:
    rng = random.Random(seed)
    customers = []
    for i in range(1, count + 1):
        plan_b = rng.random() < 0.5
        weekdays = rng.randint(0, 100)
        risk = 0.05 + (0.08 if plan_b else 0) + (0.07 if weekdays < 40 else 0)
        churned = rng.random() < risk
        customers.append(Customer(
            id=f"c{i:06d}", address=f"customer{i}@example.net",
            attributes={"AccountLength": rng.randint(30, 300), "PlanOptionA": int(rng.random() < 0.5),
                        "PlanOptionB": int(plan_b), "PlanOptionC": int(rng.random() < 0.5),
                        "UsageWeekdays": weekdays, "UsageWeekends": rng.randint(0, 100),
                        "SharedWithFriend": int(rng.random() < 0.2)},
            churned=churned, open_rate=rng.uniform(0.25, 0.7), drop_day=rng.randint(45, 100) if churned else None,
            tagged=i % 2 == 0))
    return customers


def write_customers(customers: list[Customer], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(SEED_COLUMNS)
        for c in customers:
            a = c.attributes
            writer.writerow(["EMAIL", c.id, c.address, a["AccountLength"], a["PlanOptionA"], a["PlanOptionB"],
                             a["PlanOptionC"], a["UsageWeekdays"], a["UsageWeekends"], a["SharedWithFriend"],
                             int(c.churned)])
    return path


def _ms(day: date, rng: random.Random) -> int:
    moment = datetime.combine(day, time(8), tzinfo=timezone.utc) + timedelta(minutes=rng.randint(0, 600))
    return int(moment.timestamp() * 1000)


def make_events(customers: list[Customer], labels_at: date, days: int = 180, seed: int = 12) -> list[dict]:
    """Source records in time order: one campaign email per customer per week, plus app logins."""
    rng = random.Random(seed)
    events: list[tuple[int, dict]] = []
    for c in customers:
        weekday = rng.randint(0, 6)
        for days_before in range(days, 0, -1):
            day = labels_at - timedelta(days=days_before)
            if day.weekday() != weekday:
                continue
            ms = _ms(day, rng)
            dropped = c.drop_day is not None and days_before <= c.drop_day
            dip = not c.churned and rng.random() < 0.03
            open_rate = 0.02 if dropped else c.open_rate * (0.3 if dip else 1.0)
            flow = ["Send"]
            if rng.random() < 0.01:
                flow.append("Bounce")
            else:
                flow.append("Delivery")
                if rng.random() < open_rate:
                    flow.append("Open")
                    if rng.random() < 0.3:
                        flow.append("Click")
            if dropped and days_before == c.drop_day:
                flow.append(rng.choice(["Subscription", "Complaint", "Open", "Open"]))
            mail = ses_mail(rng, ms, [c.address], "weekly-news", c.id)
            if not c.tagged:
                del mail["tags"]["user_id"]
            for step, kind in enumerate(flow):
                key, detail = ses_detail(rng, kind, ms + step * 60_000, [c.address])
                if kind == "Subscription":
                    detail["newTopicPreferences"]["unsubscribeAll"] = True
                events.append((ms + step * 60_000, {"eventType": kind, "mail": mail, key: detail}))
            if not dropped and rng.random() < 0.5:
                app = custom_app_event(rng, ms + 3_600_000)
                app["user_id"] = c.id
                events.append((ms + 3_600_000, app))
    events.sort(key=lambda pair: pair[0])
    return [event for _, event in events]


def feature_rows(spec, count: int, churn_rate: float = 0.12, seed: int = 5, signal: float = 1.0) -> list[dict]:
    """Rows shaped like the feature query's output (contracts/churn_features) with a planted signal, for tests
    that need a trained model in a second. Invented on purpose; the real query on real events is tested end to
    end by tests/components/predictive_segmentation/test_pipeline_run.py."""
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        churned = rng.random() < churn_rate
        engaged = rng.random() > (0.85 * signal if churned else 0.1)
        row = {"customer_id": f"c{i:05d}", "address": f"c{i}@example.net", "label": "1" if churned else "0",
               "channeltype": rng.choice(["EMAIL", "EMAIL", "SMS"])}
        for column in spec.attribute_features:
            if column != "channeltype":
                row[column] = float(rng.randint(0, 100))
        for column in spec.activity_features:
            if column.startswith("days_since"):
                row[column] = float(rng.randint(0, 10) if engaged else rng.randint(40, 90))
            else:
                row[column] = rng.randint(1, 4) if engaged and "open" in column else rng.randint(0, 2)
        rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--labels-at", type=date.fromisoformat, default=date(2026, 7, 1))
    parser.add_argument("--days", type=int, default=180)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    customers = make_customers(args.customers)
    write_customers(customers, args.out / "customers.csv")
    with (args.out / "events.jsonl").open("w") as handle:
        for event in make_events(customers, args.labels_at, args.days):
            handle.write(json.dumps(event) + "\n")
    print(f"wrote {len(customers)} customers and their events under {args.out}")


if __name__ == "__main__":
    main()
