-- Personalize interactions from the engagement events database: one row per counted event, replays removed.
-- Rendered by components/predictive_engagement/interactions.py from the stack config:
--   {item_id}      the configured item id sources, first match wins (NULL when none matches: counted, not lost)
--   {event_types}  the event types that count;  {event_value} their weights (EVENT_VALUE)
--   {since}        first partition day exported (the lookback window; also bounds the bytes scanned)
-- Runs unchanged on Athena (inside UNLOAD) and on DuckDB (through sqlglot), see tests/sql.
SELECT user_id, item_id, event_time AS "timestamp", event_type, event_value
FROM (
  SELECT
    user_id,
    {item_id} AS item_id,
    CAST(event_timestamp / 1000 AS BIGINT) AS event_time,
    event_type,
    {event_value} AS event_value,
    row_number() OVER (PARTITION BY event_id ORDER BY arrival_timestamp) AS occurrence
  FROM all_events
  WHERE dt >= {since}
    AND event_type IN ({event_types})
    AND user_id IS NOT NULL AND user_id <> ''
) AS counted
WHERE occurrence = 1
