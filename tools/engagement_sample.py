"""Generated shoppers, a catalogue and engagement events with planted preferences, shaped as producers emit them.

Every user has a favourite category; most of their product views, purchases and e-mail clicks go to items of
that category (popular items more often), the rest anywhere. The records are what the real producers put on
the events stream: SES v2 Click events (from tools.sample_events' SES mail, with a product link carrying
`item_id`), and custom app events `product_viewed` / `purchase` with an `item_id` attribute, as the documented
custom-event format says (functions/events_transform/custom_event.py). Some noise is planted on purpose:
opens (no item), unsubscribe-link clicks, views without an item id.
Same seed, same data.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from tools.sample_events import iso, ses_mail

START = datetime(2026, 3, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Catalogue:
    users: tuple[str, ...]
    items: tuple[str, ...]
    category_of: dict[str, str]
    favourite_of: dict[str, str]


def catalogue(users: int, items: int, categories: int, seed: int) -> Catalogue:
    rng = random.Random(seed)
    names = tuple(f"cat-{c:02d}" for c in range(categories))
    item_ids = tuple(f"item-{i:04d}" for i in range(items))
    category_of = {item: names[i % categories] for i, item in enumerate(item_ids)}
    user_ids = tuple(f"user-{u:05d}" for u in range(users))
    return Catalogue(user_ids, item_ids, category_of, {u: rng.choice(names) for u in user_ids})


def _pick(rng: random.Random, items: list[str]) -> str:
    # Zipf-like: the first items of a list are the popular ones.
    return items[min(int(rng.paretovariate(1.2)) - 1, len(items) - 1)]


def interactions(cat: Catalogue, per_user: int, seed: int, taste: float = 0.8) -> list[tuple[str, str, int, str]]:
    """(user, item, epoch ms, kind) with kind in view|purchase|click, over 28 days from START."""
    rng = random.Random(seed + 1)
    by_category: dict[str, list[str]] = {}
    for item in cat.items:
        by_category.setdefault(cat.category_of[item], []).append(item)
    everything = list(cat.items)
    start_ms = int(START.timestamp() * 1000)
    out = []
    for user in cat.users:
        for _ in range(max(1, int(rng.gauss(per_user, per_user / 3)))):
            pool = by_category[cat.favourite_of[user]] if rng.random() < taste else everything
            kind = rng.choices(("view", "click", "purchase"), (0.6, 0.3, 0.1))[0]
            out.append((user, _pick(rng, pool), start_ms + rng.randint(0, 28 * 86_400_000), kind))
    out.sort(key=lambda row: row[2])
    return out


def source_records(rows: list[tuple[str, str, int, str]], seed: int, noise: bool = True) -> list[dict]:
    """The interactions as producer records (SES Click events and custom app events), plus planted noise."""
    rng = random.Random(seed + 2)
    records: list[dict] = []
    for user, item, ms, kind in rows:
        if kind == "click":
            mail = ses_mail(rng, ms - 3_600_000, [f"{user}@example.net"], "new-arrivals", user)
            link = f"https://shop.example.com/p/{item}?item_id={item}&utm_source=email"
            records.append({"eventType": "Click", "mail": mail, "click": {
                "timestamp": iso(ms), "ipAddress": "203.0.113.9", "userAgent": "Mozilla/5.0",
                "link": link, "linkTags": {"section": ["recommendations"]}}})
            if noise and rng.random() < 0.3:
                records.append({"eventType": "Open", "mail": mail, "open": {
                    "timestamp": iso(ms - 60_000), "ipAddress": "203.0.113.9", "userAgent": "Mozilla/5.0"}})
        else:
            records.append({"event_type": "product_viewed" if kind == "view" else "purchase",
                            "event_timestamp": iso(ms), "app_id": "shop-web", "user_id": user,
                            "session_id": f"s-{user}-{ms // 86_400_000}",
                            "attributes": {"item_id": item}, "metrics": {"price": 20.0} if kind == "purchase" else {}})
    if noise:
        for user, _item, ms, _kind in rows[:: max(1, len(rows) // 20)]:
            records.append({"event_type": "product_viewed", "event_timestamp": iso(ms + 1), "app_id": "shop-web",
                            "user_id": user, "attributes": {"page": "home"}})  # no item id: counted, not exported
    return records


def days_between(rows: list[tuple[str, str, int, str]]) -> int:
    first, last = rows[0][2], rows[-1][2]
    return int(timedelta(milliseconds=last - first).days) + 1


# The sample preference center's publications (preference_center/sample.json), each consenting to some of the
# generated item categories: the category map a team would write (engagement:predictiveEngagementCategoryMap).
PUBLICATION_CATEGORIES = {("newsletters", "runners-monthly"): ("cat-00", "cat-01", "cat-02"),
                          ("newsletters", "shoe-collector"): ("cat-03", "cat-04"),
                          ("offers", "weekly-specials"): ("cat-05", "cat-06", "cat-07"),
                          ("offers", "new-arrivals"): ("cat-08", "cat-09")}
CATEGORY_MAP = tuple(f"{category}/{publication}={','.join(items)}"
                     for (category, publication), items in PUBLICATION_CATEGORIES.items())


def subscriptions(cat: Catalogue, seed: int, share: float = 0.4) -> dict[str, dict[str, list[str]]]:
    """Publication subscriptions of the shoppers who saved the preference page (`share` of them): mostly the
    publications of their favourite category, some of the others; a publication left out opts them out of its
    item categories. Same seed, same choices."""
    rng = random.Random(seed + 3)
    chosen: dict[str, dict[str, list[str]]] = {}
    for user in cat.users:
        if rng.random() >= share:
            continue
        chosen[user] = {publication: ["EMAIL"] for (_, publication), items in PUBLICATION_CATEGORIES.items()
                        if rng.random() < (0.9 if cat.favourite_of[user] in items else 0.35)}
    return chosen


def later_changes(chosen: dict[str, dict[str, list[str]]], seed: int,
                  share: float = 0.05) -> dict[str, dict[str, list[str]]]:
    """Shoppers who drop one more publication while a run is under way (after its batch input was made), so
    the filter values Personalize used are already stale when the writer runs."""
    rng = random.Random(seed + 4)
    changed = {}
    for user, subscribed in sorted(chosen.items()):
        if subscribed and rng.random() < share:
            dropped = rng.choice(sorted(subscribed))
            changed[user] = {p: c for p, c in subscribed.items() if p != dropped}
    return changed
