-- One row per SES Click on a tracked link (unsubscribe-link clicks included; see email_unsubscribe).
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
  element_at(channel_data, 'ip_address') AS ip_address,
  element_at(channel_data, 'user_agent') AS user_agent,
  element_at(channel_data, 'link') AS link,
  element_at(channel_data, 'link_tags') AS link_tags,
  coalesce(element_at(channel_data, 'unsubscribe_link'), 'false') = 'true' AS is_unsubscribe_link,
  tags AS message_tags,
  dt,
  date_format(from_unixtime(CAST(event_timestamp AS DOUBLE) / 1000), '%H') AS hour
FROM all_events
WHERE channel = 'email' AND kind = 'click'
