-- SMS cost per destination country and day. End User Messaging repeats totalMessagePrice on every event
-- of one message (accepted, then delivered or failed), so the price is taken once per message (max).
-- The day is the day of the message's first event. Replies (text_inbound) carry no price.
WITH per_message AS (
  SELECT
    country_code,
    message_id,
    min(dt) AS dt,
    max(element_at(metrics, 'message_parts')) AS message_parts,
    max(element_at(metrics, 'price_usd')) AS price_usd,
    max(element_at(metrics, 'carrier_fee_usd')) AS carrier_fee_usd
  FROM all_events
  WHERE channel = 'sms' AND event_source IN ('sms_voice', 'pinpoint_legacy') AND kind <> 'text_inbound'
    AND message_id IS NOT NULL
  GROUP BY country_code, message_id
)
SELECT
  dt AS day,
  country_code AS iso_country_code,
  count(*) AS messages,
  CAST(coalesce(sum(message_parts), 0) AS BIGINT) AS message_parts,
  round(coalesce(sum(price_usd), 0), 5) AS spend_usd,
  round(coalesce(sum(carrier_fee_usd), 0), 5) AS carrier_fees_usd
FROM per_message
GROUP BY dt, country_code
