-- One row per email unsubscribe, whatever the path (unsubscribe_source says which):
--   unsubscribe_link   an SES Click on a link tagged unsubscribeLinkTag/unsubscribe (the seed's
--                      _email.unsubscribe was exactly this; imported history keeps that meaning);
--   list_unsubscribe   an SES Subscription event whose new preferences opt out (one-click List-Unsubscribe
--                      or the SES subscription page, with SES contact lists);
--   preference_center  a preference_center.unsubscribe event on the email channel (preference_source says
--                      whether from the page, a one-click link, ...), except those the preference center made
--                      from an SES Subscription event (source ses_subscription), which the list_unsubscribe row
--                      already counts.
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
  CAST(from_unixtime(CAST(send_timestamp AS DOUBLE) / 1000) AS TIMESTAMP) AS message_send_timestamp,
  CASE
    WHEN kind = 'click' THEN 'unsubscribe_link'
    WHEN kind = 'subscription' THEN 'list_unsubscribe'
    ELSE 'preference_center'
  END AS unsubscribe_source,
  CASE WHEN event_source = 'preference_center' THEN element_at(tags, 'source') END AS preference_source,
  element_at(destination_addresses, 1) AS email_address,
  element_at(channel_data, 'subject') AS subject,
  element_at(channel_data, 'ip_address') AS ip_address,
  element_at(channel_data, 'user_agent') AS user_agent,
  element_at(channel_data, 'link') AS link,
  element_at(channel_data, 'contact_list') AS contact_list,
  element_at(channel_data, 'topics') AS topics,
  CASE WHEN event_source = 'preference_center' THEN element_at(tags, 'publications') END AS publications,
  tags AS message_tags,
  dt,
  date_format(from_unixtime(CAST(event_timestamp AS DOUBLE) / 1000), '%H') AS hour
FROM all_events
WHERE channel = 'email'
  AND (
    (kind = 'click' AND element_at(channel_data, 'unsubscribe_link') = 'true')
    OR (kind = 'subscription' AND status = 'unsubscribed')
    OR (kind = 'preference_center.unsubscribe' AND coalesce(element_at(tags, 'source'), '') <> 'ses_subscription')
  )
