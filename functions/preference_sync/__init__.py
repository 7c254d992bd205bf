"""Preferences table stream consumer: SES contact list, SMS opt-out list, audience table, events."""
