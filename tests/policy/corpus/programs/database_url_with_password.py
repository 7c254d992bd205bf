"""EXPECTED: aws-resource-input-disallow-secret-values. CLASS: 6. The connection string carries the database
password inside the URL, under a name no keyword list flags."""
import baseline as b

kms = b.key()
b.function("reporter", kms, environment={"DATABASE_URL": "postgres://reporter:Wq8vT3rLz@db.internal:5432/crm"})
