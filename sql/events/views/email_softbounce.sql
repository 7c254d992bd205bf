-- One row per bounced RECIPIENT of an SES Bounce with bounceType Transient or Undetermined
-- (the transform stores status = lower(bounceType); Pinpoint-era _email.softbounce maps the same way).
-- Recipients are walked by index because Trino expands UNNEST(array(row)) into one column per field while
-- DuckDB binds the whole struct to the first alias; sequence(1, greatest(n, 1)) never counts down to 0.
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
  element_at(channel_data, 'bounce_type') AS bounce_type,
  element_at(channel_data, 'bounce_sub_type') AS bounce_sub_type,
  element_at(channel_data, 'feedback_id') AS feedback_id,
  element_at(channel_data, 'reporting_mta') AS reporting_mta,
  element_at(recipients, i).address AS bounced_recipient_email_address,
  element_at(recipients, i).action AS bounced_recipient_action,
  element_at(recipients, i).status AS bounced_recipient_status,
  element_at(recipients, i).diagnostic_code AS bounced_recipient_diagnostic_code,
  tags AS message_tags,
  dt,
  date_format(from_unixtime(CAST(event_timestamp AS DOUBLE) / 1000), '%H') AS hour
FROM all_events
CROSS JOIN UNNEST(sequence(1, greatest(cardinality(recipients), 1))) AS t(i)
WHERE channel = 'email' AND kind = 'bounce' AND status IN ('transient', 'undetermined')
