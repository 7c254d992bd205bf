"""Feature rows shaped by the contract (contracts/churn_features), with a planted signal, for fast training tests.

Invented on purpose: these rows are what the feature query would return, made directly so a test trains in a
second. That the real query produces such rows from real events is tested end to end in
tests/components/predictive_segmentation/test_pipeline_run.py.
"""
from __future__ import annotations

import random

from contracts.churn_features import AttributeSpec, FeatureSpec
from tools.sample_customers import SEED_COLUMNS

SPEC = FeatureSpec(AttributeSpec(SEED_COLUMNS, "Id", "Attributes.Churn", SEED_COLUMNS[3:-1], ("ChannelType",),
                                 "Address"), (7, 30, 90))


def make_rows(count: int, churn_rate: float = 0.12, seed: int = 5, signal: float = 1.0) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        churned = rng.random() < churn_rate
        engaged = rng.random() > (0.85 * signal if churned else 0.1)
        row = {"customer_id": f"c{i:05d}", "address": f"c{i}@example.net", "label": "1" if churned else "0",
               "channeltype": rng.choice(["EMAIL", "EMAIL", "SMS"])}
        for column in SPEC.attribute_features:
            if column != "channeltype":
                row[column] = float(rng.randint(0, 100))
        for column in SPEC.activity_features:
            if column.startswith("days_since"):
                row[column] = float(rng.randint(0, 10) if engaged else rng.randint(40, 90))
            else:
                row[column] = rng.randint(1, 4) if engaged and "open" in column else rng.randint(0, 2)
        rows.append(row)
    return rows
