-- SMS that finally failed. Mapping from Pinpoint _SMS.FAILURE: End User Messaging final failure types
-- TEXT_INVALID, TEXT_INVALID_MESSAGE, TEXT_UNREACHABLE, TEXT_CARRIER_UNREACHABLE, TEXT_BLOCKED,
-- TEXT_CARRIER_BLOCKED, TEXT_SPAM, TEXT_TTL_EXPIRED, TEXT_UNKNOWN, TEXT_PROTECT_BLOCKED, TEXT_FAILED (and the
-- MEDIA_* twins); imported _SMS.FAILURE rows are stored as text_<record_status>.
SELECT
  event_id,
  CAST(from_unixtime(CAST(event_timestamp AS DOUBLE) / 1000) AS TIMESTAMP) AS event_timestamp,
  CAST(from_unixtime(CAST(arrival_timestamp AS DOUBLE) / 1000) AS TIMESTAMP) AS arrival_timestamp,
  event_source,
  event_type,
  message_id,
  campaign_id,
  user_id,
  account_id AS aws_account_id,
  configuration_set,
  element_at(destination_addresses, 1) AS destination_phone_number,
  sending_address AS origination_phone_number,
  status_code AS record_status,
  status_message,
  country_code AS iso_country_code,
  CAST(element_at(metrics, 'message_parts') AS INTEGER) AS number_of_message_parts,
  element_at(channel_data, 'message_type') AS message_type,
  element_at(metrics, 'price_usd') AS price_usd,
  element_at(metrics, 'price_usd') * 100000 AS price_in_millicents_usd,
  tags AS message_tags,
  dt,
  hour
FROM all_events
WHERE channel = 'sms'
  AND regexp_like(event_type, '^(text|media)_(invalid|invalid_message|unreachable|carrier_unreachable|blocked|carrier_blocked|spam|ttl_expired|unknown|protect_blocked|failed)$')
