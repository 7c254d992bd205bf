-- Email funnel per campaign (campaign_id from the SES tag campaign_id/campaign, imported attributes, or the
-- campaign a preference-center unsubscribe link carried).
-- sends/deliveries/bounces/complaints count distinct events (one per message: a record Firehose delivered
-- twice has one event_id); opens and clicks count distinct messages; unsubscribes use the same definition
-- as email_unsubscribe. Rates are NULL when the denominator is 0: delivery and bounce per send,
-- open/click/complaint/unsubscribe per delivery.
WITH events AS (
  SELECT event_id, campaign_id, event_type, status, message_id, channel_data, destination_addresses, tags
  FROM all_events
  WHERE channel = 'email' AND campaign_id IS NOT NULL
    AND kind IN ('send', 'delivery', 'open', 'click', 'bounce', 'complaint', 'subscription',
                 'preference_center.unsubscribe')
),
counts AS (
  SELECT
    campaign_id,
    count(DISTINCT CASE WHEN event_type = 'send' THEN event_id END) AS sends,
    count(DISTINCT CASE WHEN event_type = 'delivery' THEN event_id END) AS deliveries,
    count(DISTINCT CASE WHEN event_type = 'open' THEN message_id END) AS unique_opens,
    count(DISTINCT CASE WHEN event_type = 'click' THEN message_id END) AS unique_clicks,
    count(DISTINCT CASE WHEN event_type = 'bounce' THEN event_id END) AS bounces,
    count(DISTINCT CASE WHEN event_type = 'bounce' AND status = 'permanent' THEN event_id END) AS hard_bounces,
    count(DISTINCT CASE WHEN event_type = 'complaint' THEN event_id END) AS complaints,
    count(DISTINCT CASE WHEN
      (event_type = 'click' AND element_at(channel_data, 'unsubscribe_link') = 'true')
      OR (event_type = 'subscription' AND status = 'unsubscribed')
      OR (event_type = 'preference_center.unsubscribe'
          AND coalesce(element_at(tags, 'source'), '') <> 'ses_subscription')
    THEN event_id END) AS unsubscribes
  FROM events
  GROUP BY campaign_id
),
recipients AS (
  SELECT campaign_id, count(DISTINCT address) AS unique_recipients
  FROM events
  CROSS JOIN UNNEST(destination_addresses) AS t(address)
  WHERE event_type = 'send'
  GROUP BY campaign_id
)
SELECT
  c.campaign_id,
  c.sends,
  c.deliveries,
  c.unique_opens,
  c.unique_clicks,
  c.bounces,
  c.hard_bounces,
  c.complaints,
  c.unsubscribes,
  coalesce(r.unique_recipients, 0) AS unique_recipients,
  round(CAST(c.deliveries AS DOUBLE) / nullif(c.sends, 0), 4) AS delivery_rate,
  round(CAST(c.bounces AS DOUBLE) / nullif(c.sends, 0), 4) AS bounce_rate,
  round(CAST(c.unique_opens AS DOUBLE) / nullif(c.deliveries, 0), 4) AS open_rate,
  round(CAST(c.unique_clicks AS DOUBLE) / nullif(c.deliveries, 0), 4) AS click_rate,
  round(CAST(c.complaints AS DOUBLE) / nullif(c.deliveries, 0), 4) AS complaint_rate,
  round(CAST(c.unsubscribes AS DOUBLE) / nullif(c.deliveries, 0), 4) AS unsubscribe_rate
FROM counts AS c
LEFT JOIN recipients AS r ON r.campaign_id = c.campaign_id
