-- One row per complaining recipient of an SES Complaint (feedback loop / abuse report).
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
  element_at(channel_data, 'subject') AS subject,
  element_at(recipients, i).address AS complained_email_address,
  element_at(channel_data, 'feedback_id') AS feedback_id,
  element_at(channel_data, 'user_agent') AS user_agent,
  element_at(channel_data, 'feedback_type') AS complaint_feedback_type,
  element_at(channel_data, 'complaint_sub_type') AS complaint_sub_type,
  tags AS message_tags,
  dt,
  date_format(from_unixtime(CAST(event_timestamp AS DOUBLE) / 1000), '%H') AS hour
FROM all_events
CROSS JOIN UNNEST(sequence(1, greatest(cardinality(recipients), 1))) AS t(i)
WHERE channel = 'email' AND kind = 'complaint'
