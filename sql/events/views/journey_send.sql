-- One row per message a Pinpoint journey sent (imported _journey.send; the seed's journey_send view), on the
-- channel of the journey activity (EMAIL -> email, SMS -> sms, PUSH/CUSTOM -> custom).
SELECT
  event_id,
  CAST(from_unixtime(CAST(event_timestamp AS DOUBLE) / 1000) AS TIMESTAMP) AS event_timestamp,
  CAST(from_unixtime(CAST(arrival_timestamp AS DOUBLE) / 1000) AS TIMESTAMP) AS arrival_timestamp,
  channel,
  event_source,
  element_at(channel_data, 'application_id') AS application_id,
  element_at(channel_data, 'endpoint_id') AS endpoint_id,
  element_at(channel_data, 'journey_id') AS journey_id,
  element_at(channel_data, 'journey_run_id') AS journey_run_id,
  element_at(channel_data, 'journey_activity_id') AS journey_activity_id,
  element_at(channel_data, 'journey_activity_type') AS journey_activity_type,
  element_at(channel_data, 'journey_send_status') AS journey_send_status,
  account_id AS aws_account_id,
  tags AS message_tags,
  dt,
  date_format(from_unixtime(CAST(event_timestamp AS DOUBLE) / 1000), '%H') AS hour
FROM all_events
WHERE kind = 'journey.send'
