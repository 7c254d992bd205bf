-- Email funnel per campaign (campaign_id from the SES tag campaign_id/campaign, imported attributes, or the
-- campaign a preference-center unsubscribe link carried).
-- sends/deliveries/bounces/complaints count events (one per message); opens and clicks count distinct
-- messages; unsubscribes use the same definition as email_unsubscribe. Rates are NULL when the
-- denominator is 0: delivery and bounce per send, open/click/complaint/unsubscribe per delivery.
WITH events AS (
  SELECT campaign_id, event_type, status, message_id, channel_data, destination_addresses, tags
  FROM all_events
  WHERE channel = 'email' AND campaign_id IS NOT NULL
    AND kind IN ('send', 'delivery', 'open', 'click', 'bounce', 'complaint', 'subscription',
                 'preference_center.unsubscribe')
),
counts AS (
  SELECT
    campaign_id,
    count_if(event_type = 'send') AS sends,
    count_if(event_type = 'delivery') AS deliveries,
    count(DISTINCT CASE WHEN event_type = 'open' THEN message_id END) AS unique_opens,
    count(DISTINCT CASE WHEN event_type = 'click' THEN message_id END) AS unique_clicks,
    count_if(event_type = 'bounce') AS bounces,
    count_if(event_type = 'bounce' AND status = 'permanent') AS hard_bounces,
    count_if(event_type = 'complaint') AS complaints,
    count_if(
      (event_type = 'click' AND element_at(channel_data, 'unsubscribe_link') = 'true')
      OR (event_type = 'subscription' AND status = 'unsubscribed')
      OR (event_type = 'preference_center.unsubscribe'
          AND coalesce(element_at(tags, 'source'), '') <> 'ses_subscription')
    ) AS unsubscribes
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
