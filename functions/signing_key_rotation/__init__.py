"""Secrets Manager rotation for the preference-center link-signing key."""
