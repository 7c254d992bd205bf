-- One row per two-way SMS reply a customer sent to one of our numbers (End User Messaging two-way channel ->
-- SNS -> the events stream). keyword is the reply's first word (or whole reply) upper-cased; status is
-- opted_out for opt-out keywords (STOP, ...), opted_in for START/UNSTOP, else received.
SELECT
  event_id,
  CAST(from_unixtime(CAST(event_timestamp AS DOUBLE) / 1000) AS TIMESTAMP) AS event_timestamp,
  CAST(from_unixtime(CAST(arrival_timestamp AS DOUBLE) / 1000) AS TIMESTAMP) AS arrival_timestamp,
  message_id AS inbound_message_id,
  sending_address AS customer_phone_number,
  element_at(destination_addresses, 1) AS our_phone_number,
  element_at(channel_data, 'keyword') AS keyword,
  element_at(channel_data, 'message_keyword') AS registered_keyword,
  element_at(channel_data, 'message_body') AS message_body,
  status,
  status = 'opted_out' AS is_opt_out,
  element_at(channel_data, 'previous_published_message_id') AS previous_published_message_id,
  dt,
  date_format(from_unixtime(CAST(event_timestamp AS DOUBLE) / 1000), '%H') AS hour
FROM all_events
WHERE channel = 'sms' AND kind = 'text_inbound'
