"""The committed rule catalogue matches the rules' metadata and the policy config files."""
from tools import policy_catalogue


def test_committed_catalogue_is_up_to_date():
    assert policy_catalogue.main(["--check"]) == 0, "run: python -m tools.policy_catalogue"


def test_catalogue_lists_every_rule_with_its_levels():
    from rules import ALL_POLICIES

    text = policy_catalogue.render()
    assert all(f"`{p.name}`" in text for p in ALL_POLICIES)
    assert f"{len(ALL_POLICIES)} rules." in text and "| security |" in text
