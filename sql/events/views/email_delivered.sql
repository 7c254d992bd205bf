-- One row per SES Delivery (the receiving mail server accepted the message).
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
  CAST(from_unixtime(CAST(send_timestamp AS DOUBLE) / 1000) AS TIMESTAMP) AS message_send_timestamp,
  element_at(channel_data, 'subject') AS subject,
  element_at(channel_data, 'smtp_response') AS smtp_response,
  element_at(channel_data, 'reporting_mta') AS reporting_mta,
  transform(recipients, r -> r.address) AS recipients,
  CAST(element_at(metrics, 'processing_time_millis') AS BIGINT) AS processing_time_millis,
  tags AS message_tags,
  dt,
  date_format(from_unixtime(CAST(event_timestamp AS DOUBLE) / 1000), '%H') AS hour
FROM all_events
WHERE channel = 'email' AND kind = 'delivery'
