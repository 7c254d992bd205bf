-- One row per SES Subscription event (a contact changed topic preferences via SES contact lists).
-- status is 'unsubscribed' when the new preferences opt out of everything or of any topic.
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
  element_at(destination_addresses, 1) AS email_address,
  status AS subscription_status,
  element_at(channel_data, 'contact_list') AS contact_list,
  element_at(channel_data, 'subscription_source') AS subscription_source,
  element_at(channel_data, 'unsubscribe_all') = 'true' AS unsubscribe_all,
  element_at(channel_data, 'topics') AS topics,
  element_at(channel_data, 'old_topic_preferences') AS old_topic_preferences,
  tags AS message_tags,
  dt,
  hour
FROM all_events
WHERE channel = 'email' AND event_type = 'subscription'
