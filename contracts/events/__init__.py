"""The engagement-events contract: one definition from every producer to every view.

- `table`: the canonical `all_events` columns and types, partitions, S3 layout, Glue projection parameters,
  Parquet (Arrow) and DuckDB schemas, and `canonical_record`, the row every source becomes.
- `vocabulary`: sources, channels, event types, partition kinds, SMS keywords, which producer feeds which view.
- `producers`: the custom-event and preference-center wire formats with their builders, ids and times.
- `ses_subscription`: what an SES Subscription event changed (read by the transform and the preference center).
- `views`: the analyst views' column lock.
- `types`: Hive type syntax spelled for Presto, DuckDB and Arrow.

Pure Python (pyarrow imported lazily by the two functions that need it): the Pulumi program imports it, and the
events transform Lambda bundles it through functions/events_transform/shared-packages.txt.
"""
from .producers import (MAX_MS, MIN_MS, PREDICTIVE_ENGAGEMENT_APP_ID, PREDICTIVE_SEGMENTATION_APP_ID,
                        PREFERENCE_CENTER_APP_ID, PROJECT_APP_IDS, PROJECT_EVENT_PREFIXES, InvalidEvent,
                        any_time_to_ms, check_ms, custom_event, event_id_of_key, is_preference_event, iso_to_ms,
                        make_event_id, ms_to_iso, preference_change_events, preference_event, project_reservation,
                        validate_custom_event)
from .ses_subscription import SubscriptionChange, subscription_change
from .table import (COLUMN_NAMES, ERRORS_PREFIX, EVENT_COLUMNS, EVENTS_PREFIX, PARTITION_KEYS, RECIPIENT_TYPE,
                    TABLE_NAME, Column, arrow_schema, canonical_record, duckdb_columns, empty_record,
                    error_output_prefix, firehose_prefix, partition_keys, partition_prefix,
                    partition_projection_parameters)
from .types import arrow_type, duckdb_type, parse_hive_type, presto_type
from .views import view_columns, view_names
from .vocabulary import (CHANNELS, EVENT_SOURCES, KINDS, OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS, SMS_INBOUND,
                         VIEW_FEEDS, inbound_keyword, partition_kind)

__all__ = [
    "CHANNELS", "COLUMN_NAMES", "ERRORS_PREFIX", "EVENTS_PREFIX", "EVENT_COLUMNS", "EVENT_SOURCES", "KINDS",
    "MAX_MS", "MIN_MS", "OPT_IN_KEYWORDS", "OPT_OUT_KEYWORDS", "PARTITION_KEYS", "PREDICTIVE_ENGAGEMENT_APP_ID",
    "PREDICTIVE_SEGMENTATION_APP_ID", "PREFERENCE_CENTER_APP_ID", "PROJECT_APP_IDS", "PROJECT_EVENT_PREFIXES",
    "RECIPIENT_TYPE", "SMS_INBOUND", "SubscriptionChange", "TABLE_NAME", "VIEW_FEEDS", "Column", "InvalidEvent",
    "any_time_to_ms",
    "arrow_schema", "arrow_type", "canonical_record", "check_ms", "custom_event", "duckdb_columns", "duckdb_type",
    "empty_record", "error_output_prefix", "event_id_of_key", "firehose_prefix", "inbound_keyword",
    "is_preference_event", "iso_to_ms", "make_event_id", "ms_to_iso", "parse_hive_type", "partition_keys",
    "partition_kind", "partition_prefix", "partition_projection_parameters", "preference_change_events",
    "preference_event", "presto_type", "project_reservation", "subscription_change", "validate_custom_event",
    "view_columns", "view_names",
]
