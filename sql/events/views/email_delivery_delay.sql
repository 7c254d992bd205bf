-- One row per delayed RECIPIENT of an SES DeliveryDelay (SES keeps retrying until expiration_time).
-- Recipients are walked by index: see email_hardbounce.sql for why.
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
  element_at(channel_data, 'delay_type') AS delay_type,
  CAST(from_unixtime(CAST(expiration_timestamp AS DOUBLE) / 1000) AS TIMESTAMP) AS expiration_time,
  element_at(channel_data, 'reporting_mta') AS reporting_mta,
  element_at(recipients, i).address AS delayed_recipient_email_address,
  element_at(recipients, i).status AS delayed_recipient_status,
  element_at(recipients, i).diagnostic_code AS delayed_recipient_diagnostic_code,
  tags AS message_tags,
  dt,
  date_format(from_unixtime(CAST(event_timestamp AS DOUBLE) / 1000), '%H') AS hour
FROM all_events
CROSS JOIN UNNEST(sequence(1, greatest(cardinality(recipients), 1))) AS t(i)
WHERE channel = 'email' AND kind = 'delivery_delay'
