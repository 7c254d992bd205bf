"""Names from project and stack: unchanged when they fit, within the limit and apart from each other when not."""
from __future__ import annotations

import pytest

from components.naming import fitted_name, stack_digest


def test_a_name_that_fits_is_project_stack_and_suffix():
    assert fitted_name("engagement", "dev", 64, "events") == "engagement-dev-events"
    assert fitted_name("engagement", "dev", 31) == "engagement-dev"


@pytest.mark.parametrize(("limit", "suffix"), [(31, ""), (64, "events"), (64, "events-app")])
def test_a_long_name_keeps_the_limit_the_suffix_and_stays_apart(limit, suffix):
    stacks = ("customer-engagement-platform-staging-eu-west-1-payments", "customer-engagement-platform-staging-eu-west-1-payments-2")
    names = [fitted_name("engagement", stack, limit, suffix) for stack in stacks]
    assert all(len(n) == limit and n.endswith(suffix) and n.startswith("engagement-customer-") for n in names)
    assert names[0] != names[1] and stack_digest("engagement", stacks[0]) in names[0]
