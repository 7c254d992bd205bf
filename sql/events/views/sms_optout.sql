-- SMS opt-outs, one row per signal (optout_source says which); destination_phone_number is always the
-- customer's number and origination_phone_number ours:
--   keyword            a two-way reply with an opt-out keyword (STOP, UNSUBSCRIBE, ...), the real opt-out;
--                      Pinpoint's _SMS.OPTOUT meant exactly this
--   pinpoint_keyword   imported _SMS.OPTOUT rows
--   preference_center  a preference_center.unsubscribe on the sms channel, except those the preference center
--                      made from a STOP reply (source sms_keyword), which the keyword row already counts
--   send_blocked       a send End User Messaging blocked because the number had opted out (messageStatus
--                      OPTED_OUT): a consequence of an earlier opt-out, kept for accounts without two-way SMS
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
  CASE WHEN kind = 'text_inbound' THEN sending_address ELSE element_at(destination_addresses, 1) END
    AS destination_phone_number,
  CASE WHEN kind = 'text_inbound' THEN element_at(destination_addresses, 1) ELSE sending_address END
    AS origination_phone_number,
  CASE
    WHEN kind = 'text_inbound' THEN 'keyword'
    WHEN kind = 'text_opted_out' THEN 'pinpoint_keyword'
    WHEN event_source = 'preference_center' THEN 'preference_center'
    ELSE 'send_blocked'
  END AS optout_source,
  element_at(channel_data, 'keyword') AS keyword,
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
    (kind = 'text_inbound' AND status = 'opted_out')
    OR kind = 'text_opted_out'
    OR (kind = 'preference_center.unsubscribe' AND coalesce(element_at(tags, 'source'), '') <> 'sms_keyword')
    OR (kind IN ('text_invalid', 'text_invalid_message', 'text_unreachable',
                'text_carrier_unreachable', 'text_blocked', 'text_carrier_blocked', 'text_spam',
                'text_unknown', 'text_ttl_expired', 'text_protect_blocked', 'text_failed',
                'media_invalid', 'media_invalid_message', 'media_unreachable',
                'media_carrier_unreachable', 'media_blocked', 'media_carrier_blocked',
                'media_spam', 'media_unknown', 'media_ttl_expired', 'media_protect_blocked',
                'media_failed', 'media_file_inaccessible', 'media_file_type_unsupported',
                'media_file_size_exceeded')
        AND status = 'opted_out')
  )
