-- One row per SES Reject (SES found a virus and did not send). The seed called this view email_rejected
-- in its DDL table but the design keeps the name email_reject.
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
  element_at(channel_data, 'subject') AS subject,
  element_at(channel_data, 'reject_reason') AS reject_reason,
  tags AS message_tags,
  dt,
  date_format(from_unixtime(CAST(event_timestamp AS DOUBLE) / 1000), '%H') AS hour
FROM all_events
WHERE channel = 'email' AND kind = 'reject'
