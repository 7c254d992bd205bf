"""Stack settings of predictive user engagement (a section of components/config.py's one model).

Kept beside the solution because the section is long; components/config.py imports it into SECTIONS, so keys,
defaults, Pulumi.yaml and the README reference stay generated from one place.
"""
from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from ..config import _Section  # noqa: F401 - config.py defines _Section before importing this module

# Where the item id of an interaction comes from, in the canonical `all_events` record:
#   tag:<name>                      the `tags` map (SES message tags, custom-event attributes)
#   link_parameter:<name>           a query parameter of the clicked link (SES Click `channel_data.link`)
#   attribute:<event_type>.<name>   one attribute of one custom app event type (e.g. product_viewed.item_id)
ITEM_ID_SOURCE = re.compile(r"^(tag|link_parameter):[A-Za-z0-9_\-]{1,128}$"
                            r"|^attribute:[a-z0-9_.:\-]{1,128}\.[A-Za-z0-9_\-]{1,128}$")
EVENT_TYPE = re.compile(r"^[a-z0-9_.:\-]{1,128}(=\d{1,6}(\.\d{1,6})?)?$")
SOLUTION_VERSION_ARN = re.compile(r"^arn:aws[a-z-]*:personalize:[a-z0-9-]+:\d{12}:solution/[A-Za-z0-9_-]+/[a-z0-9]+$")
RECIPES = ("aws-user-personalization-v2", "aws-user-personalization")
# The category map travels to three Lambdas as one environment variable; Lambda allows 4 KB for all of them.
MAX_CATEGORY_MAP_CHARS = 2048


class PredictiveEngagementSettings(_Section):
    enabled: bool = Field(False, alias="predictiveEngagementEnabled",
                          description="Deploy predictive user engagement (Personalize). Needs the events "
                                      "database.")
    recommendation_count: int = Field(10, alias="predictiveEngagementRecommendationCount", ge=1, le=500,
                                      description="Recommended items written per user.")
    schedule: str = Field("cron(0 4 * * ? *)", alias="predictiveEngagementSchedule",
                          pattern=r"^(cron|rate)\(.+\)$", description="EventBridge Scheduler expression.")
    recipe: Literal["aws-user-personalization-v2", "aws-user-personalization"] = Field(
        "aws-user-personalization-v2", alias="predictiveEngagementRecipe",
        description="Personalize recipe of the solution (USER_PERSONALIZATION recipes support batch inference).")
    item_id_sources: tuple[str, ...] = Field(
        ("attribute:product_viewed.item_id", "link_parameter:item_id", "tag:item_id"),
        alias="predictiveEngagementItemIdSources",
        description="Where an interaction's item id comes from, first match wins: `tag:<name>`, "
                    "`link_parameter:<name>` (clicked link) or `attribute:<event_type>.<name>` (custom event).")
    event_types: tuple[str, ...] = Field(
        ("click", "product_viewed", "purchase=3"), alias="predictiveEngagementEventTypes",
        description="Event types that count as interactions, optionally with a weight (EVENT_VALUE): "
                    "`purchase=3`.")
    lookback_days: int = Field(180, alias="predictiveEngagementLookbackDays", ge=7, le=3650,
                               description="Days of engagement events exported for training.")
    training_interval_days: int = Field(
        7, alias="predictiveEngagementTrainingIntervalDays", ge=0, le=365,
        description="Days between trainings (new solution versions); 0 trains only when none exists. "
                    "Personalize's own automatic training is always off.")
    promotion_margin_percent: int = Field(
        2, alias="predictiveEngagementPromotionMarginPercent", ge=0, le=50,
        description="A new model is promoted unless its precision@k, NDCG@k or coverage is worse than the "
                    "current model's by more than this percentage.")
    exclude_event_types: tuple[str, ...] = Field(
        ("purchase",), alias="predictiveEngagementExcludeEventTypes",
        description="Items a user already has these interaction types with are not recommended (filter).")
    items_dataset_enabled: bool = Field(
        False, alias="predictiveEngagementItemsDatasetEnabled",
        description="Add an items dataset (ITEM_ID, CATEGORY_L1, CREATION_TIMESTAMP), imported each run from "
                    "`predictive-engagement/catalogue/items.csv` in the solution's bucket when present.")
    users_dataset_enabled: bool = Field(
        False, alias="predictiveEngagementUsersDatasetEnabled",
        description="Add a users dataset (USER_ID, SEGMENT), imported each run from "
                    "`predictive-engagement/catalogue/users.csv` when present.")
    category_filter_enabled: bool = Field(
        False, alias="predictiveEngagementCategoryFilterEnabled",
        description="Exclude the item categories a user opted out of in the preference center (a Personalize "
                    "filter on the items dataset's CATEGORY_L1, values per user). Needs the preference center and "
                    "the items dataset.")
    category_map: tuple[str, ...] = Field(
        (), alias="predictiveEngagementCategoryMap",
        description="Preference-center category (or `category/publication`) -> item categories it consents to, "
                    "as `<category>[/<publication>]=<item category>[,...]`; empty = each preference-center "
                    "category id is an item category. An item category is opted out when none of the "
                    "publications mapped to it is subscribed.")
    keep_uncategorised_items: bool = Field(
        False, alias="predictiveEngagementKeepUncategorisedItems",
        description="For users with category opt-outs, keep recommended items the items catalogue gives no "
                    "category (by default they are dropped, since they might be in an opted-out one).")
    realtime_enabled: bool = Field(
        True, alias="predictiveEngagementRealtimeEnabled",
        description="Forward engagement events to the Personalize event tracker as they happen.")
    campaign_enabled: bool = Field(
        False, alias="predictiveEngagementCampaignEnabled",
        description="Deploy a Personalize campaign and `GET /recommendations/{user}` (IAM auth); bills per hour.")
    campaign_solution_version_arn: str = Field(
        "", alias="predictiveEngagementCampaignSolutionVersionArn",
        description="Solution version the campaign starts on (a run's summary prints the promoted one); the "
                    "workflow moves the campaign to each newly promoted version.")
    campaign_min_tps: int = Field(1, alias="predictiveEngagementCampaignMinTps", ge=1, le=100,
                                  description="Minimum provisioned transactions per second of the campaign.")
    customer_profiles_domain: str = Field(
        "", alias="predictiveEngagementCustomerProfilesDomain", pattern=r"^([a-zA-Z0-9_-]{1,64})?$",
        description="Amazon Connect Customer Profiles domain that also receives recommended_items ('' = none).")

    @field_validator("item_id_sources")
    @classmethod
    def _item_id_sources(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("at least one item id source is needed")
        for source in value:
            if not ITEM_ID_SOURCE.match(source):
                raise ValueError(f"'{source}' is not `tag:<name>`, `link_parameter:<name>` or "
                                 f"`attribute:<event_type>.<name>`")
        return value

    @field_validator("category_map")
    @classmethod
    def _category_map(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        from contracts.category_consent import parse_entry

        for entry in value:
            parse_entry(entry)  # CategoryMapError is a ValueError: reported with the key
        return value

    @field_validator("event_types", "exclude_event_types")
    @classmethod
    def _event_types(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        names = [entry.split("=", 1)[0] for entry in value]
        for entry in value:
            if not EVENT_TYPE.match(entry):
                raise ValueError(f"'{entry}' is not an event type (lower-case, optionally `=<weight>`)")
        if len(set(names)) != len(names):
            raise ValueError("an event type is listed twice")
        return value

    @model_validator(mode="after")
    def _combinations(self) -> "PredictiveEngagementSettings":
        if not self.event_types:
            raise _config_error("predictiveEngagementEventTypes", "is empty",
                                       "list at least one event type, e.g. [click, purchase=3]")
        weights = dict(self.weighted_event_types)
        unknown = [e for e in self.exclude_event_types if "=" in e or e not in weights]
        if unknown:
            raise _config_error("predictiveEngagementExcludeEventTypes",
                                       f"names {unknown}, which are not event types that count",
                                       "use names from engagement:predictiveEngagementEventTypes, without weights")
        if self.category_filter_enabled and not self.items_dataset_enabled:
            raise _config_error(
                "predictiveEngagementItemsDatasetEnabled",
                "is false, but the category filter excludes items by the items dataset's CATEGORY_L1",
                "`pulumi config set engagement:predictiveEngagementItemsDatasetEnabled true` and upload "
                "predictive-engagement/catalogue/items.csv, or turn engagement:predictiveEngagementCategoryFilter"
                "Enabled off")
        if self.campaign_enabled and not SOLUTION_VERSION_ARN.match(self.campaign_solution_version_arn):
            raise _config_error(
                "predictiveEngagementCampaignSolutionVersionArn",
                "must name the solution version the campaign starts on when the campaign is enabled",
                "run the workflow once, then `pulumi config set engagement:predictiveEngagementCampaign"
                "SolutionVersionArn <the promoted version its summary printed>`")
        return self

    def resolved_category_map(self, center_document: dict | None):
        """The category map for the stack's preference-center document (None when the filter is off); a
        ConfigError naming the key when an entry names what the document does not have."""
        from contracts.category_consent import CategoryMapError, resolve

        if not (self.enabled and self.category_filter_enabled):
            return None
        assert center_document is not None, "StackConfig refuses the filter without a preference center"
        key = "predictiveEngagementCategoryMap"
        try:
            mapped = resolve(center_document, self.category_map)
        except CategoryMapError as error:
            raise _config_error(key, f"entry {error}", "name a category (or category/publication) of the "
                                f"preference-center file, e.g. {self.category_example(center_document)}") from None
        if len(mapped.to_json()) > MAX_CATEGORY_MAP_CHARS:
            raise _config_error(key, f"maps to {len(mapped.publications_of)} item categories, too many for a Lambda "
                                f"environment ({len(mapped.to_json())} > {MAX_CATEGORY_MAP_CHARS} characters)",
                                "map fewer item categories, or broader ones")
        return mapped

    @staticmethod
    def category_example(center_document: dict) -> str:
        category = center_document["categories"][0]
        return f"`{category['id']}/{category['publications'][0]['id']}=<item category>`"

    @property
    def weighted_event_types(self) -> tuple[tuple[str, float], ...]:
        """(event type, EVENT_VALUE) pairs; an unweighted type counts 1."""
        pairs = []
        for entry in self.event_types:
            name, _, weight = entry.partition("=")
            pairs.append((name, float(weight) if weight else 1.0))
        return tuple(pairs)


def _config_error(key: str, problem: str, fix: str) -> Exception:
    """A ConfigError naming the key (a ValueError here would name only the section)."""
    from ..config import ConfigError, _message  # config.py imports this module, so import at call time

    return ConfigError(_message(key, problem, fix))
