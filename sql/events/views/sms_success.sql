-- SMS finally delivered (Pinpoint's _SMS.SUCCESS), ONE ROW PER MESSAGE. End User Messaging reports final
-- success as TEXT_DELIVERED or TEXT_SUCCESSFUL with isFinal=true depending on the destination country, and for
-- some messages both: the row kept is TEXT_DELIVERED when there is one, else the latest final TEXT_SUCCESSFUL.
-- MMS (MEDIA_*) twins included; imported _SMS.SUCCESS rows are stored as text_delivered.
WITH final_success AS (
  SELECT
    *,
    row_number() OVER (
      PARTITION BY coalesce(message_id, event_id)
      ORDER BY kind IN ('text_delivered', 'media_delivered') DESC, event_timestamp DESC, event_id
    ) AS nth
  FROM all_events
  WHERE channel = 'sms'
    AND kind IN ('text_successful', 'text_delivered', 'media_successful', 'media_delivered')
    AND coalesce(is_final, kind IN ('text_delivered', 'media_delivered'))
)
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
FROM final_success
WHERE nth = 1
