"""The `all_events` table as the component uses it. Nothing is defined here: the one definition is the events
contract (contracts/events), shared with the transform Lambda, the tools and the tests. This module stays so
existing imports (`from components.events_database import schema`) keep working."""
from contracts.events import (COLUMN_NAMES, ERRORS_PREFIX, EVENT_COLUMNS, EVENTS_PREFIX, PARTITION_KEYS,  # noqa: F401
                              TABLE_NAME, arrow_schema, duckdb_columns, duckdb_type, error_output_prefix,
                              firehose_prefix, parse_hive_type, partition_projection_parameters, presto_type)
from contracts.events import CHANNELS, EVENT_SOURCES  # noqa: F401
