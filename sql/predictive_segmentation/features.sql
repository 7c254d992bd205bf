-- Churn features: one row per customer of the attributes table, as of the start of ${as_of} (UTC).
-- The same query feeds training (as_of = one label window before the labels were taken) and daily scoring
-- (as_of = the scheduled day), on Athena and, transpiled by sqlglot, on DuckDB. It never reads the clock:
-- ${as_of} and ${history_start} are bound per run by contracts/churn_features.bind; the other placeholders are
-- filled in at deploy time from the stack config (contracts/churn_features.render).
--
-- An engagement event belongs to a customer when its user_id is the customer id, when the address it names
-- (bounced, complaining or unsubscribing recipient) is the customer's address, or, for sends, deliveries,
-- opens and clicks, which name no recipient, when the message was sent to the customer's address.
WITH customers AS (
  SELECT
    CAST(${id_column} AS VARCHAR) AS customer_id,
    CAST(${label_column} AS VARCHAR) AS label,
    ${address_expression} AS address${attribute_select}
  FROM ${attributes_table}
  WHERE ${id_column} IS NOT NULL
),
engagement AS (
  SELECT 'send' AS kind, event_id, event_timestamp, message_id, user_id, CAST(NULL AS VARCHAR) AS address
  FROM ${events_database}.email_send WHERE dt >= '${history_start}' AND dt < '${as_of}'
  UNION ALL
  SELECT 'delivery', event_id, event_timestamp, message_id, user_id, CAST(NULL AS VARCHAR)
  FROM ${events_database}.email_delivered WHERE dt >= '${history_start}' AND dt < '${as_of}'
  UNION ALL
  SELECT 'open', event_id, event_timestamp, message_id, user_id, CAST(NULL AS VARCHAR)
  FROM ${events_database}.email_open WHERE dt >= '${history_start}' AND dt < '${as_of}'
  UNION ALL
  SELECT 'click', event_id, event_timestamp, message_id, user_id, CAST(NULL AS VARCHAR)
  FROM ${events_database}.email_click
  WHERE dt >= '${history_start}' AND dt < '${as_of}' AND NOT is_unsubscribe_link
  UNION ALL
  SELECT 'bounce', event_id, event_timestamp, message_id, user_id, lower(bounced_recipient_email_address)
  FROM ${events_database}.email_hardbounce WHERE dt >= '${history_start}' AND dt < '${as_of}'
  UNION ALL
  SELECT 'bounce', event_id, event_timestamp, message_id, user_id, lower(bounced_recipient_email_address)
  FROM ${events_database}.email_softbounce WHERE dt >= '${history_start}' AND dt < '${as_of}'
  UNION ALL
  SELECT 'complaint', event_id, event_timestamp, message_id, user_id, lower(complained_email_address)
  FROM ${events_database}.email_complaint WHERE dt >= '${history_start}' AND dt < '${as_of}'
  UNION ALL
  SELECT 'unsubscribe', event_id, event_timestamp, message_id, user_id, lower(email_address)
  FROM ${events_database}.email_unsubscribe WHERE dt >= '${history_start}' AND dt < '${as_of}'
),
message_addresses AS (
  SELECT DISTINCT message_id, lower(recipient) AS address
  FROM ${events_database}.email_send CROSS JOIN UNNEST(destination) AS t(recipient)
  WHERE dt >= '${history_start}' AND dt < '${as_of}'
  UNION
  SELECT DISTINCT message_id, lower(recipient) AS address
  FROM ${events_database}.email_delivered CROSS JOIN UNNEST(recipients) AS t(recipient)
  WHERE dt >= '${history_start}' AND dt < '${as_of}'
),
attributed AS (
  SELECT e.kind, e.event_id, e.event_timestamp, c.customer_id
  FROM engagement e JOIN customers c ON e.user_id = c.customer_id
  WHERE e.event_timestamp < ${as_of_timestamp}
  UNION
  SELECT e.kind, e.event_id, e.event_timestamp, c.customer_id
  FROM engagement e JOIN customers c ON e.address = c.address
  WHERE e.event_timestamp < ${as_of_timestamp}
  UNION
  SELECT e.kind, e.event_id, e.event_timestamp, c.customer_id
  FROM engagement e
  JOIN message_addresses m ON e.message_id = m.message_id
  JOIN customers c ON m.address = c.address
  WHERE e.address IS NULL AND e.event_timestamp < ${as_of_timestamp}
),
activity AS (
  SELECT
    customer_id,
    ${activity_aggregates}
  FROM attributed
  GROUP BY customer_id
)
SELECT
  customers.customer_id,
  customers.address,
  customers.label${attribute_columns},
  ${activity_features}
FROM customers
LEFT JOIN activity ON activity.customer_id = customers.customer_id
ORDER BY customers.customer_id
