-- One row per message sent for a campaign: SES Send events carrying a campaign_id/campaign tag, and
-- imported Pinpoint _campaign.send rows. End User Messaging has no "send" event; SMS campaign volume is
-- in sms_buffered/sms_spend_by_country. Fixes the seed's treament_id typo: treatment_id is read from the
-- tag or the imported attribute of that name.
SELECT
  event_id,
  CAST(from_unixtime(CAST(event_timestamp AS DOUBLE) / 1000) AS TIMESTAMP) AS event_timestamp,
  CAST(from_unixtime(CAST(arrival_timestamp AS DOUBLE) / 1000) AS TIMESTAMP) AS arrival_timestamp,
  channel,
  event_source,
  campaign_id,
  coalesce(element_at(tags, 'treatment_id'), element_at(channel_data, 'treatment_id')) AS treatment_id,
  message_id,
  user_id,
  account_id AS aws_account_id,
  destination_addresses AS destination,
  tags AS message_tags,
  dt,
  date_format(from_unixtime(CAST(event_timestamp AS DOUBLE) / 1000), '%H') AS hour
FROM all_events
WHERE campaign_id IS NOT NULL AND kind IN ('send', 'campaign.send')
