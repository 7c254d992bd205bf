-- One row per change of an SMS subscription in the preference center, one per number and change:
-- subscription_status pending (the number awaits confirmation), subscribed (preference_action optin: its owner
-- confirmed it, by the confirmation link or a START reply; subscribe: more publications), unsubscribed (page,
-- removing the number, or a STOP reply: subscription_source sms_keyword), updated (the confirmed number changed)
-- or detached (another record's owner confirmed the number). The replies themselves are in sms_inbound, and
-- sms_optout counts each opt-out once (a STOP reply, not also the unsubscribe it caused here).
SELECT
  event_id,
  CAST(from_unixtime(CAST(event_timestamp AS DOUBLE) / 1000) AS TIMESTAMP) AS event_timestamp,
  CAST(from_unixtime(CAST(arrival_timestamp AS DOUBLE) / 1000) AS TIMESTAMP) AS arrival_timestamp,
  event_source,
  campaign_id,
  user_id,
  element_at(destination_addresses, 1) AS phone_number,
  status AS subscription_status,
  substr(event_type, 19) AS preference_action,
  element_at(tags, 'source') AS subscription_source,
  element_at(tags, 'unsubscribe_all') = 'true' AS unsubscribe_all,
  element_at(tags, 'preference_center_id') AS preference_center_id,
  element_at(tags, 'publications') AS publications,
  TRY_CAST(element_at(tags, 'version') AS BIGINT) AS preference_version,
  tags AS message_tags,
  dt,
  date_format(from_unixtime(CAST(event_timestamp AS DOUBLE) / 1000), '%H') AS hour
FROM all_events
WHERE channel = 'sms'
  AND kind IN ('preference_center.optin_request', 'preference_center.optin', 'preference_center.subscribe',
               'preference_center.unsubscribe', 'preference_center.update', 'preference_center.detach')
