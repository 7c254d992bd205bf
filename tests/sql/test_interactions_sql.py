"""The interactions SQL (sql/predictive_engagement) on DuckDB, exact rows, over producer-shaped records run
through the real events transform: every item id source, weights, replays, the lookback, the Athena dialect."""
from __future__ import annotations

import sqlglot

from components.config import load_stack_config
from components.predictive_engagement.interactions import render_select
from tools.local_lake import open_lake, to_duckdb, transform, write_events
from tools.sample_events import firehose_batches, iso, ses_mail

T = 1772445600000  # 2026-03-02T10:00:00Z


def click(user: str, link: str, ms: int, tags: dict | None = None) -> dict:
    import random

    mail = ses_mail(random.Random(ms), ms - 60_000, [f"{user}@example.net"], "new-arrivals", user)
    mail["tags"].update({k: [v] for k, v in (tags or {}).items()})
    return {"eventType": "Click", "mail": mail, "click": {"timestamp": iso(ms), "ipAddress": "203.0.113.9",
                                                         "userAgent": "UA", "link": link, "linkTags": {}}}


def app(event_type: str, user: str | None, ms: int, **attributes: str) -> dict:
    event = {"event_type": event_type, "event_timestamp": iso(ms), "app_id": "shop-web", "attributes": attributes}
    if user:
        event["user_id"] = user
    return event


RECORDS = [
    click("u1", "https://shop.example.com/p/a?item_id=A%2D1&utm=x", T),               # link parameter, encoded
    click("u1", "https://shop.example.com/sale", T + 1000, tags={"item_id": "T9"}),    # message tag
    click("u2", "https://shop.example.com/about", T + 2000),                           # no item id anywhere
    app("product_viewed", "u2", T + 3000, item_id="B2"),                                # custom attribute
    app("purchase", "u2", T + 4000, item_id="B2"),                                      # weighted 3
    app("purchase", "u2", T + 4000, item_id="B2"),                                      # replay: same event id
    app("product_viewed", None, T + 5000, item_id="C3"),                                # no user: left out
    app("page.view", "u3", T + 6000, item_id="D4"),                                     # type that does not count
    app("product_viewed", "u3", T - 400 * 86_400_000, item_id="OLD"),                   # before the lookback
]


def lake(tmp_path, records=RECORDS):
    ok, failed = transform(firehose_batches(records))
    assert failed == []
    write_events(ok, tmp_path)
    return open_lake(tmp_path)


def rows(con, overrides=None, since="'2026-01-01'"):
    settings = load_stack_config(overrides or {}).predictive_engagement
    return sorted(con.execute(to_duckdb(render_select(settings, since=since))).fetchall(), key=lambda r: (r[2], r[0]))


def test_default_sources_weights_and_replays(tmp_path):
    assert rows(lake(tmp_path)) == [
        ("u1", "A-1", T // 1000, "click", 1.0),
        ("u1", "T9", T // 1000 + 1, "click", 1.0),
        ("u2", None, T // 1000 + 2, "click", 1.0),   # exported without an item id: the export Lambda counts it
        ("u2", "B2", T // 1000 + 3, "product_viewed", 1.0),
        ("u2", "B2", T // 1000 + 4, "purchase", 3.0),
    ]


def test_sources_are_tried_in_the_configured_order(tmp_path):
    con = lake(tmp_path, [click("u1", "https://shop.example.com/p?item_id=FROM_LINK", T, tags={"item_id": "FROM_TAG"})])
    assert rows(con)[0][1] == "FROM_LINK"
    assert rows(con, {"engagement:predictiveEngagementItemIdSources": '["tag:item_id", "link_parameter:item_id"]'}
                )[0][1] == "FROM_TAG"


def test_an_attribute_source_applies_to_its_event_type_only(tmp_path):
    con = lake(tmp_path, [app("product_viewed", "u1", T, sku="S1"), app("purchase", "u1", T + 1, sku="S2")])
    found = rows(con, {"engagement:predictiveEngagementItemIdSources": '["attribute:product_viewed.sku"]'})
    assert [(r[3], r[1]) for r in found] == [("product_viewed", "S1"), ("purchase", None)]


def test_lookback_bounds_the_partitions_read(tmp_path):
    con = lake(tmp_path)
    assert "OLD" not in {r[1] for r in rows(con)}
    assert "OLD" in {r[1] for r in rows(con, since="'2024-01-01'")}


def test_rendered_sql_is_athena_sql():
    settings = load_stack_config({}).predictive_engagement
    parsed = sqlglot.parse_one(render_select(settings), read="athena")
    assert parsed.find(sqlglot.exp.Window) is not None  # replays removed by event_id
    assert "date_add('day', -180, current_date)" in render_select(settings)
