"""EXPECTED: none. Every building block of the corpus at once, with no flaw: the pack must stay silent."""
import baseline as b

kms = b.key()
logs = b.bucket("corpus-access-logs", None)
b.bucket("corpus-data", kms, log_target=logs)
work = b.queue("work", kms, b.dead_letter_queue("work", kms))
b.function("worker", kms)
b.table("orders", kms)
b.topic("alerts", kms)
b.distribution("site", "origin.example.com", b.web_acl(kms), kms)
b.state_machine("nightly", kms)
