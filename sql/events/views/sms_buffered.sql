-- SMS accepted but not final yet (Pinpoint's _SMS.BUFFERED): TEXT_PENDING, TEXT_QUEUED, TEXT_SENT, and a
-- TEXT_SUCCESSFUL or TEXT_DELIVERED that End User Messaging marks isFinal=false (the carrier accepted it; the
-- handset's receipt may follow); MMS (MEDIA_*) twins included. Imported _SMS.BUFFERED rows are stored as
-- text_successful with is_final false. price_in_millicents_usd is kept for the seed's dashboards.
SELECT
  event_id,
  CAST(from_unixtime(CAST(event_timestamp AS DOUBLE) / 1000) AS TIMESTAMP) AS event_timestamp,
  CAST(from_unixtime(CAST(arrival_timestamp AS DOUBLE) / 1000) AS TIMESTAMP) AS arrival_timestamp,
  event_source,
  event_type,
  message_id,
  campaign_id,
  user_id,
  account_id AS aws_account_id,
  configuration_set,
  element_at(destination_addresses, 1) AS destination_phone_number,
  sending_address AS origination_phone_number,
  status_code AS record_status,
  status_message,
  is_final,
  country_code AS iso_country_code,
  CAST(element_at(metrics, 'message_parts') AS INTEGER) AS number_of_message_parts,
  element_at(channel_data, 'message_type') AS message_type,
  element_at(metrics, 'price_usd') AS price_usd,
  element_at(metrics, 'price_usd') * 100000 AS price_in_millicents_usd,
  CAST(from_unixtime(CAST(send_timestamp AS DOUBLE) / 1000) AS TIMESTAMP) AS message_request_timestamp,
  tags AS message_tags,
  dt,
  date_format(from_unixtime(CAST(event_timestamp AS DOUBLE) / 1000), '%H') AS hour
FROM all_events
WHERE channel = 'sms'
  AND (
    kind IN ('text_pending', 'text_queued', 'text_sent', 'media_pending', 'media_queued', 'media_sent')
    OR (kind IN ('text_successful', 'text_delivered', 'media_successful', 'media_delivered')
        AND NOT coalesce(is_final, false))
  )
