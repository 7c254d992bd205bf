"""Preference-center configuration and page headers, used at deploy time and by the local dev server."""
