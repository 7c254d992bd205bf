"""Preference-center HTTP API (API Gateway HTTP API v2 behind CloudFront at /api)."""
