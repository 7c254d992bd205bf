"""EXPECTED: aws-resource-input-disallow-secret-values. CLASS: 6. A live payment-provider key in a variable whose
name suggests configuration, not a secret (the value is the provider's documented example format)."""
import baseline as b

kms = b.key()
b.function("checkout", kms, environment={"PAYMENTS_CONFIG": "sk_live_4eC39HqLyjWDarjtT1zdp7dc"})
