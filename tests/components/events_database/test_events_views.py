"""Glue view declarations: lock file freshness and the Athena "Presto View" encoding."""
from __future__ import annotations

import base64
import json
import shutil

import pytest

from components.events_database import views
from tools.lock_views import build_lock, render


def test_lock_file_is_up_to_date():
    # Regenerating the lock from the current .sql files must give the committed file byte for byte
    assert views.LOCK_FILE.read_text() == render(build_lock()), "run `python -m tools.lock_views`"


def test_glue_table_input_uses_the_presto_view_encoding():
    # Given the email_hardbounce view
    view = next(v for v in views.load_views() if v.name == "email_hardbounce")

    # When turned into a Glue table input for database due_eventdb
    table = views.glue_view_table_input(view, "due_eventdb")

    # Then it is a VIRTUAL_VIEW whose original text is the base64 JSON Athena writes
    assert table["table_type"] == "VIRTUAL_VIEW"
    assert table["view_expanded_text"] == "/* Presto View */"
    assert table["parameters"] == {"presto_view": "true", "comment": "Presto View"}
    text = table["view_original_text"]
    assert text.startswith("/* Presto View: ") and text.endswith(" */")
    payload = json.loads(base64.b64decode(text[len("/* Presto View: "):-len(" */")]))
    assert payload["originalSql"] == views.read_view_sql("email_hardbounce").strip()
    assert (payload["catalog"], payload["schema"]) == ("awsdatacatalog", "due_eventdb")
    assert {"name": "bounced_recipient_email_address", "type": "varchar"} in payload["columns"]
    assert ("message_tags", "map<string,string>") in table["columns"]
    assert [c["name"] for c in payload["columns"]] == [name for name, _ in table["columns"]]


def test_every_view_declares_columns():
    loaded = views.load_views()
    assert len(loaded) == len(views.view_names()) >= 19
    assert all(v.columns for v in loaded)


def test_changed_sql_without_new_lock_is_refused(tmp_path):
    # Given a copy of the views where one file changed after the lock was generated
    views_dir = tmp_path / "views"
    shutil.copytree(views.VIEWS_DIR, views_dir)
    (views_dir / "email_open.sql").write_text(views.read_view_sql("email_open") + "\n-- edited\n")

    # Then loading names the file and the fix
    with pytest.raises(views.StaleViewLockError, match="email_open.sql changed.*tools.lock_views"):
        views.load_views(views_dir, views.LOCK_FILE)


def test_new_view_without_lock_entry_is_refused(tmp_path):
    views_dir = tmp_path / "views"
    shutil.copytree(views.VIEWS_DIR, views_dir)
    (views_dir / "email_extra.sql").write_text("SELECT 1 AS x FROM all_events")
    with pytest.raises(views.StaleViewLockError, match="differ from the lock file"):
        views.load_views(views_dir, views.LOCK_FILE)
