"""EXPECTED: aws-sqs-queue-configure-dead-letter-retention. CLASS: 5. The work queue keeps messages 7 days, its DLQ
4 days: a message that fails on day 5 expires on arrival in the DLQ."""
import baseline as b

kms = b.key()
b.queue("work", kms, b.dead_letter_queue("work", kms, message_retention_seconds=345600),
        message_retention_seconds=604800)
