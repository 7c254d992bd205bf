"""Component tests use the session recordings of the real program from tests/conftest.py
(`dev_recording`, `prod_recording`, and `record` for a run with overridden config keys)."""
