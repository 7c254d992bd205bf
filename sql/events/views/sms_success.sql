-- SMS delivered to the handset. Mapping from Pinpoint _SMS.SUCCESS: End User Messaging TEXT_DELIVERED
-- (MEDIA_DELIVERED for MMS); imported _SMS.SUCCESS rows are stored as text_delivered.
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
WHERE channel = 'sms' AND event_type IN ('text_delivered', 'media_delivered')
