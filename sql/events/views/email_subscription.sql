-- One row per subscription change on email: SES Subscription events (contact lists: one-click
-- List-Unsubscribe or the SES subscription page), and every preference-center channel event on the email
-- channel. subscription_status is subscribed or unsubscribed for SES; for the preference center pending (an
-- address awaits confirmation), subscribed (preference_action optin: its owner confirmed it; subscribe: more
-- publications), unsubscribed, updated (the confirmed address changed) or detached (another owner confirmed it).
-- subscription_source is SES's source (e.g. UnsubscribeHeader) or the preference center's (page, one_click,
-- confirmation, ...). An opt-out made on SES's own subscription management appears twice, as the change of each
-- store: the SES row (the contact) and, when the preference center applied it to the owner's record, a row of
-- source ses_subscription (with user and publications); email_unsubscribe counts it once.
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
  CASE WHEN event_source = 'preference_center' THEN element_at(tags, 'source')
    ELSE element_at(channel_data, 'subscription_source') END AS subscription_source,
  CASE WHEN event_source = 'preference_center' THEN element_at(tags, 'unsubscribe_all')
    ELSE element_at(channel_data, 'unsubscribe_all') END = 'true' AS unsubscribe_all,
  element_at(channel_data, 'topics') AS topics,
  element_at(channel_data, 'old_topic_preferences') AS old_topic_preferences,
  CASE WHEN event_source = 'preference_center' THEN element_at(tags, 'preference_center_id') END AS preference_center_id,
  CASE WHEN event_source = 'preference_center' THEN element_at(tags, 'publications') END AS publications,
  tags AS message_tags,
  CASE WHEN event_source = 'preference_center' THEN substr(event_type, 19) END AS preference_action,
  dt,
  date_format(from_unixtime(CAST(event_timestamp AS DOUBLE) / 1000), '%H') AS hour
FROM all_events
WHERE channel = 'email'
  AND kind IN ('subscription', 'preference_center.optin_request', 'preference_center.optin',
               'preference_center.subscribe', 'preference_center.unsubscribe', 'preference_center.update',
               'preference_center.detach')
