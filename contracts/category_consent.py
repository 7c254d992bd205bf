"""Which item categories a user opted out of, as the preference center stores it, and as Personalize filters it.

Producer: the preference center's API (functions/preference_api) keeps one item per (``user_id``,
``preference_center_id``) in its preferences table, with ``subscriptions`` (publication id -> the channels the
user receives it on; a publication nobody subscribed to is absent) and ``unsubscribed_all``. Consumers:
predictive engagement's export (filter values in the batch-inference input), writer (defence in depth) and
on-demand route (filter values of GetRecommendations). This module depends on those table and attribute names
only, never on the preference center's code, which changes on its own schedule.

Meaning. The preference center is opt-in (nothing is subscribed until the user says so), so for a user who has a
record in the stack's preference center, an item category is opted out when none of the publications mapped to it
(``CategoryMap``) is subscribed on any channel; unsubscribe-all opts out of everything. A user without a record
there has told us nothing, and nothing is excluded.

Personalize side: one placeholder, ``EXCLUDE ItemID WHERE Items.CATEGORY_L1 IN ($CATEGORIES)``. Values are passed
per user, each in double quotes and comma separated (developer guide, "Filtering batch recommendations":
``"filterValues":{"GENRES":"\\"horror\\",\\"comedy\\""}``); the personalize-runtime API model caps one
parameter's value at 1,000 characters. Item categories are restricted to characters that need no escaping there
(no quotes, backslashes, commas, or ``|``, which separates the values of a multi-valued categorical field). A
user whose opted-out categories do not fit in one value gets no recommendations for messaging (counted), never
unfiltered ones. Personalize matches categorical values exactly (it ignores case only for event types); the
writer's defence compares without case, so it is never laxer than the filter.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

USER_ID, CENTER_ID = "user_id", "preference_center_id"  # the preferences table's hash and range keys
SUBSCRIPTIONS, UNSUBSCRIBED_ALL = "subscriptions", "unsubscribed_all"
FILTER_PARAMETER = "CATEGORIES"
CATEGORY_FIELD = "CATEGORY_L1"  # contracts.personalize.ITEMS_COLUMNS: the items dataset's categorical field
MULTI_VALUE_SEPARATOR = "|"  # Personalize: several values of one categorical field, e.g. "shoes|running"
MAX_FILTER_VALUE_CHARS = 1000  # personalize-runtime model: filterValues value length
CATEGORY_VALUE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.:/&+'-]{0,99}$")
_ENTRY = re.compile(r"^(?P<category>[a-z][a-z0-9_-]{0,63})(/(?P<publication>[a-z][a-z0-9_-]{0,63}))?"
                    r"=(?P<values>[^=]+)$")


class CategoryMapError(ValueError):
    """A category-map entry that cannot be used; ``entry`` names it."""

    def __init__(self, entry: str, problem: str) -> None:
        super().__init__(f"'{entry}' {problem}")
        self.entry = entry


@dataclass(frozen=True)
class CategoryMap:
    """Item category -> the publications of one preference center whose subscription consents to it."""

    center_id: str
    publications_of: Mapping[str, frozenset[str]]

    def to_json(self) -> str:
        return json.dumps({"center": self.center_id, "categories": {
            category: sorted(pubs) for category, pubs in sorted(self.publications_of.items())}},
            separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> "CategoryMap":
        data = json.loads(text)
        return cls(data["center"], {c: frozenset(p) for c, p in data["categories"].items()})


def parse_entry(entry: str) -> tuple[str, str | None, tuple[str, ...]]:
    """``<category>[/<publication>]=<item category>[,<item category>...]`` -> its parts (syntax only)."""
    match = _ENTRY.match(entry) if isinstance(entry, str) else None
    if not match:
        raise CategoryMapError(str(entry), "is not `<category>[/<publication>]=<item category>[,...]`")
    values = tuple(v.strip() for v in match["values"].split(","))
    for value in values:
        if not CATEGORY_VALUE.match(value):
            raise CategoryMapError(entry, f"names item category {value!r}: use 1-100 letters, digits, spaces or "
                                          f"_ . : / & + ' - (no quotes, commas or |), starting with a letter or digit")
    return match["category"], match["publication"], values


def resolve(document: Mapping[str, Any], entries: Iterable[str]) -> CategoryMap:
    """The map for one preference-center configuration document; no entries = identity (category id = item
    category, consented to by any of its publications)."""
    publications = {c["id"]: frozenset(p["id"] for p in c["publications"]) for c in document["categories"]}
    entries = list(entries)
    if not entries:
        for category in publications:
            if not CATEGORY_VALUE.match(category):
                raise CategoryMapError(category, "cannot be an item category of the filter")
        return CategoryMap(document["id"], dict(publications))
    mapped: dict[str, set[str]] = {}
    for entry in entries:
        category, publication, values = parse_entry(entry)
        if category not in publications:
            raise CategoryMapError(entry, f"names category {category!r}, which preference center "
                                          f"{document['id']!r} does not have (it has {sorted(publications)})")
        if publication is not None and publication not in publications[category]:
            raise CategoryMapError(entry, f"names publication {publication!r}, which is not in category "
                                          f"{category!r} (it has {sorted(publications[category])})")
        sources = {publication} if publication else publications[category]
        for value in values:
            mapped.setdefault(value, set()).update(sources)
    return CategoryMap(document["id"], {value: frozenset(pubs) for value, pubs in mapped.items()})


@dataclass(frozen=True)
class Consent:
    unsubscribed_all: bool = False
    opted_out: tuple[str, ...] = ()
    """Item categories, sorted."""

    @property
    def fits_filter(self) -> bool:
        return len(filter_value(self.opted_out)) <= MAX_FILTER_VALUE_CHARS

    @cached_property
    def opted_out_folded(self) -> frozenset[str]:
        return frozenset(c.lower() for c in self.opted_out)


NOTHING = Consent()


def consent_of(item: Mapping[str, Any], category_map: CategoryMap | None) -> Consent:
    """One preferences-table item (DynamoDB wire format) -> what it says for the filter."""
    unsubscribed = bool(item.get(UNSUBSCRIBED_ALL, {}).get("BOOL"))
    if category_map is None or item.get(CENTER_ID, {}).get("S") != category_map.center_id:
        return Consent(unsubscribed_all=unsubscribed)
    subscribed = {publication for publication, channels in item.get(SUBSCRIPTIONS, {}).get("M", {}).items()
                  if channels.get("L")}
    opted_out = tuple(sorted(category for category, pubs in category_map.publications_of.items()
                             if unsubscribed or not pubs & subscribed))
    return Consent(unsubscribed, opted_out)


def merge(first: Consent, second: Consent) -> Consent:
    """One user's records of several preference centers: unsubscribe-all anywhere wins, opt-outs add up."""
    return Consent(first.unsubscribed_all or second.unsubscribed_all,
                   tuple(sorted(set(first.opted_out) | set(second.opted_out))))


_PROJECTION = {"ProjectionExpression": "#u, #c, #s, #a", "ExpressionAttributeNames": {
    "#u": USER_ID, "#c": CENTER_ID, "#s": SUBSCRIPTIONS, "#a": UNSUBSCRIBED_ALL}}


def read_all(dynamodb: Any, table: str, category_map: CategoryMap | None) -> dict[str, Consent]:
    """Every user with something to honour (unsubscribe-all or an opted-out category), from one Scan."""
    found: dict[str, Consent] = {}
    request = dict(TableName=table, **_PROJECTION)
    if category_map is None:  # only unsubscribe-all matters: let DynamoDB leave the rest out
        request.update(FilterExpression="#a = :yes", ExpressionAttributeValues={":yes": {"BOOL": True}})
    for page in dynamodb.get_paginator("scan").paginate(**request):
        for item in page["Items"]:
            consent = consent_of(item, category_map)
            if consent != NOTHING:
                user = item[USER_ID]["S"]
                found[user] = merge(found.get(user, NOTHING), consent)
    return found


def read_user(dynamodb: Any, table: str, user_id: str, category_map: CategoryMap | None) -> Consent:
    """One user's consent (a Query on the table's hash key), for the on-demand route."""
    consent = NOTHING
    items = dynamodb.query(TableName=table, KeyConditionExpression="#u = :u",
                           ExpressionAttributeValues={":u": {"S": user_id}}, **_PROJECTION)["Items"]
    for item in items:
        consent = merge(consent, consent_of(item, category_map))
    return consent


def filter_value(categories: Iterable[str]) -> str:
    """The placeholder's value: ``"shoes","boots"`` (each in double quotes, comma separated)."""
    return ",".join(f'"{category}"' for category in categories)


def filter_values(consent: Consent) -> dict[str, str] | None:
    """``filterValues`` for GetRecommendations or a batch input line; None when nothing is excluded (Personalize
    then ignores the EXCLUDE expression with the placeholder). Callers check ``fits_filter`` first."""
    if not consent.opted_out:
        return None
    if not consent.fits_filter:
        raise ValueError(f"{len(consent.opted_out)} opted-out categories exceed the {MAX_FILTER_VALUE_CHARS}-"
                         f"character filter value")
    return {FILTER_PARAMETER: filter_value(consent.opted_out)}


def parse_filter_value(value: str) -> tuple[str, ...]:
    """The categories in a placeholder value (what Personalize reads; the local stand-in applies it)."""
    return tuple(part[1:-1] for part in value.split(",") if len(part) >= 2 and part[0] == part[-1] == '"')


def item_categories(value: str | None) -> frozenset[str]:
    """A CATEGORY_L1 cell of the items dataset -> its values, lower-cased (``"Shoes|Running"``)."""
    return frozenset(v.strip().lower() for v in (value or "").split(MULTI_VALUE_SEPARATOR) if v.strip())


def excluded(categories: frozenset[str], consent: Consent) -> bool:
    """Is an item of these (lower-cased) categories in one the user opted out of? Case-insensitive."""
    return not categories.isdisjoint(consent.opted_out_folded)
