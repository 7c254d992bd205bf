"""The training tests' spec and rows (tools.sample_customers.feature_rows: contract-shaped, planted signal)."""
from __future__ import annotations

from contracts.churn_features import AttributeSpec, FeatureSpec
from tools.sample_customers import SEED_COLUMNS, feature_rows

SPEC = FeatureSpec(AttributeSpec(SEED_COLUMNS, "Id", "Attributes.Churn", SEED_COLUMNS[3:-1], ("ChannelType",),
                                 "Address"), (7, 30, 90))


def make_rows(count: int, churn_rate: float = 0.12, seed: int = 5, signal: float = 1.0) -> list[dict]:
    return feature_rows(SPEC, count, churn_rate, seed, signal)
