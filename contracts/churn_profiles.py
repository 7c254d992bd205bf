"""The Amazon Connect Customer Profiles contract of predictive segmentation: the `ChurnScore` object type and the
"predicted-to-churn" segment definition.

One definition for both sides: the component declares the object type and the segment from these constants
(components/predictive_segmentation/customer_profiles.py, pulumi-aws-native), and the post-processing Lambda
builds every profile object with `profile_object()`, which only emits fields of `FIELDS`; a test holds the two
together. Pure Python with no third-party imports.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

OBJECT_TYPE = "ChurnScore"
OBJECT_TYPE_DESCRIPTION = "Daily churn score from predictive segmentation (engagement stack)"
KEY_FIELD = "customer_id"
KEY_IDENTIFIERS = ("PROFILE", "UNIQUE")  # the key finds (or creates) the one profile of a customer
ALLOW_PROFILE_CREATION = True

# object field -> (profile target, content type). AccountNumber carries the customer id, so the key maps it.
FIELDS: dict[str, tuple[str, str]] = {
    "customer_id": ("_profile.AccountNumber", "STRING"), "email": ("_profile.EmailAddress", "EMAIL_ADDRESS"),
    "churn_score": ("_profile.Attributes.churn_score", "STRING"),
    "churn_risk_band": ("_profile.Attributes.churn_risk_band", "STRING"),
    "churn_in_audience": ("_profile.Attributes.churn_in_audience", "STRING"),
    "churn_control": ("_profile.Attributes.churn_control", "STRING"),
    "churn_model_version": ("_profile.Attributes.churn_model_version", "STRING"),
    "churn_as_of": ("_profile.Attributes.churn_as_of", "STRING"),
}

SEGMENT = "predicted-to-churn"
SEGMENT_DISPLAY_NAME = "Predicted to churn"
SEGMENT_DESCRIPTION = "Customers the churn model puts at risk, control group excluded"
# The segment selects the profiles whose audience flag is "true" (control-group customers carry "false").
AUDIENCE_FIELD = "churn_in_audience"
AUDIENCE_VALUE = "true"


def profile_attribute(field: str) -> str:
    """The profile attribute a field of the object type lands in (`_profile.Attributes.<name>`)."""
    target = FIELDS[field][0]
    prefix = "_profile.Attributes."
    if not target.startswith(prefix):
        raise ValueError(f"{field} maps onto {target}, a standard profile field, not a custom attribute")
    return target.removeprefix(prefix)


def profile_object(record: Mapping[str, Any]) -> dict[str, str]:
    """One scored customer as a `ChurnScore` object (every value a string, as the object type declares)."""
    obj = {"customer_id": str(record["customer_id"]), "churn_score": f"{float(record['score']):.6f}",
           "churn_risk_band": record["risk_band"],
           AUDIENCE_FIELD: AUDIENCE_VALUE if record["in_audience"] else "false",
           "churn_control": str(bool(record["control"])).lower(), "churn_model_version": record["model_version"],
           "churn_as_of": record["as_of"]}
    if record.get("address") and "@" in str(record["address"]):
        obj["email"] = str(record["address"])
    unknown = set(obj) - set(FIELDS)
    if unknown:  # the declared object type would drop them silently
        raise ValueError(f"profile object fields {sorted(unknown)} are not in the ChurnScore object type")
    return obj
