-- SMS that finally failed (Pinpoint's _SMS.FAILURE): every End User Messaging outcome that is neither progress
-- nor success (TEXT_INVALID, TEXT_UNREACHABLE, TEXT_CARRIER_BLOCKED, TEXT_BLOCKED, TEXT_SPAM, TEXT_TTL_EXPIRED,
-- TEXT_PROTECT_BLOCKED, TEXT_UNKNOWN, ... and the MEDIA_* twins); imported _SMS.FAILURE rows are stored as
-- text_<record_status>.
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
  is_final,
  country_code AS iso_country_code,
  CAST(element_at(metrics, 'message_parts') AS INTEGER) AS number_of_message_parts,
  element_at(channel_data, 'message_type') AS message_type,
  element_at(metrics, 'price_usd') AS price_usd,
  element_at(metrics, 'price_usd') * 100000 AS price_in_millicents_usd,
  CAST(from_unixtime(CAST(send_timestamp AS DOUBLE) / 1000) AS TIMESTAMP) AS message_request_timestamp,
  tags AS message_tags,
  dt,
  date_format(from_unixtime(CAST(event_timestamp AS DOUBLE) / 1000), '%H') AS hour
FROM all_events
WHERE channel = 'sms'
  AND kind IN ('text_invalid', 'text_invalid_message', 'text_unreachable',
               'text_carrier_unreachable', 'text_blocked', 'text_carrier_blocked', 'text_spam',
               'text_unknown', 'text_ttl_expired', 'text_protect_blocked', 'text_failed',
               'media_invalid', 'media_invalid_message', 'media_unreachable',
               'media_carrier_unreachable', 'media_blocked', 'media_carrier_blocked', 'media_spam',
               'media_unknown', 'media_ttl_expired', 'media_protect_blocked', 'media_failed',
               'media_file_inaccessible', 'media_file_type_unsupported',
               'media_file_size_exceeded')
