"""What the preference center says a user may receive, applied to their recommendations before they are written.

Read when the writer runs (not when the batch input was made hours earlier): unsubscribe-all suppresses a user;
with the category filter, items of a category the user opted out of are dropped even though Personalize's
filter should already have left them out (a filter value from an older preference, an item whose category
changed, an item missing from the items dataset). Categories come from the items catalogue the team uploads
(`predictive-engagement/catalogue/items.csv`, the file the items dataset is imported from). Items it gives no
category are dropped for users with opt-outs unless KEEP_UNCATEGORISED_ITEMS; users whose opted-out categories
do not fit one filter value get nothing. Everything dropped or suppressed is counted in the run summary.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from contracts import category_consent as consent
from contracts import personalize as contract

UNSUBSCRIBED = "unsubscribed_all"
OVER_FILTER_LIMIT = "category_opt_outs_over_filter_limit"


@dataclass
class Counts:
    suppressed_unsubscribed: int = 0
    suppressed_over_filter_limit: int = 0
    dropped_opted_out_category: int = 0
    dropped_uncategorised: int = 0
    catalogue_items: int = 0


@dataclass
class ConsentGuard:
    consents: dict[str, consent.Consent]
    load_catalogue: Any = None
    """Callable returning item id -> lower-cased categories; called once, only if some user has opt-outs."""
    keep_uncategorised: bool = False
    counts: Counts = field(default_factory=Counts)
    _catalogue: dict[str, frozenset[str]] | None = None

    @classmethod
    def nobody(cls) -> "ConsentGuard":
        return cls({})

    def catalogue(self) -> dict[str, frozenset[str]]:
        if self._catalogue is None:
            self._catalogue = self.load_catalogue() if self.load_catalogue else {}
            self.counts.catalogue_items = len(self._catalogue)
        return self._catalogue

    def unsubscribed(self) -> set[str]:
        return {user for user, found in self.consents.items() if found.unsubscribed_all}

    def apply(self, user_id: str, items: tuple[str, ...]) -> tuple[tuple[str, ...], str | None]:
        """(the items the user may get, the reason they get none or None)."""
        found = self.consents.get(user_id, consent.NOTHING)
        if found.unsubscribed_all:
            self.counts.suppressed_unsubscribed += 1
            return (), UNSUBSCRIBED
        if not found.opted_out:
            return items, None
        if not found.fits_filter:
            self.counts.suppressed_over_filter_limit += 1
            return (), OVER_FILTER_LIMIT
        catalogue, kept = self.catalogue(), []
        for item in items:
            categories = catalogue.get(item)
            if not categories:
                if not self.keep_uncategorised:
                    self.counts.dropped_uncategorised += 1
                    continue
            elif consent.excluded(categories, found):
                self.counts.dropped_opted_out_category += 1
                continue
            kept.append(item)
        return tuple(kept), None


def read_catalogue(s3: Any, uri: str) -> dict[str, frozenset[str]]:
    """items.csv (ITEM_ID, CATEGORY_L1, ...) -> item id -> lower-cased categories; {} when there is none."""
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    try:
        body = s3.get_object(Bucket=bucket, Key=key)["Body"]
    except s3.exceptions.NoSuchKey:
        return {}
    shared: dict[str, frozenset[str]] = {}  # one frozenset per distinct cell: catalogues repeat few categories
    catalogue: dict[str, frozenset[str]] = {}
    category_column = consent.CATEGORY_FIELD
    for row in csv.DictReader(io.TextIOWrapper(body, encoding="utf-8", newline="")):
        cell = row.get(category_column) or ""
        categories = shared.get(cell)
        if categories is None:
            categories = shared[cell] = consent.item_categories(cell)
        if categories and row.get(contract.ITEMS_COLUMNS[0]):
            catalogue[row[contract.ITEMS_COLUMNS[0]]] = categories
    return catalogue
