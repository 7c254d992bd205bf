-- One row per email SES accepted for sending (SES Send; Pinpoint-era _email.send after import).
SELECT
  event_id,
  CAST(from_unixtime(CAST(event_timestamp AS DOUBLE) / 1000) AS TIMESTAMP) AS event_timestamp,
  CAST(from_unixtime(CAST(arrival_timestamp AS DOUBLE) / 1000) AS TIMESTAMP) AS arrival_timestamp,
  event_source,
  message_id,
  campaign_id,
  coalesce(element_at(tags, 'treatment_id'), element_at(channel_data, 'treatment_id')) AS treatment_id,
  user_id,
  account_id AS aws_account_id,
  configuration_set,
  sending_address AS from_address,
  destination_addresses AS destination,
  element_at(channel_data, 'subject') AS subject,
  tags AS message_tags,
  dt,
  date_format(from_unixtime(CAST(event_timestamp AS DOUBLE) / 1000), '%H') AS hour
FROM all_events
WHERE channel = 'email' AND kind = 'send'
