"""Policy config reconciled as the CLI's engine does it (pulumi/pulumi pkg/resource/analyzer/config.go and the
cases of its config_test.go): what it accepts, what it rejects, and how it reports errors."""
from __future__ import annotations

import pytest
from pulumi_policy import EnforcementLevel, PolicyConfigSchema, ResourceValidationPolicy

from tools.harness.policy_config import PolicyConfigError, load_policy_config, reconcile_config, \
    unknown_policy_names
from tools.harness.policy_runner import LoadedPack

pytestmark = pytest.mark.timeout(60)


def policy(name, properties=None, required=None, level=None):
    schema = PolicyConfigSchema(properties=properties, required=required) if properties is not None else None
    return ResourceValidationPolicy(name=name, description=name, validate=lambda a, r: None, config_schema=schema,
                                    enforcement_level=level)


def pack(*policies, initial=None):
    return LoadedPack("pack", "1.0.0", list(policies), EnforcementLevel.ADVISORY, initial)


def levels(reconciled):
    return {name: level.value for name, (level, _) in reconciled.items()}


def test_a_policy_without_a_schema_accepts_any_setting():
    reconciled = reconcile_config(pack(policy("free")), {"free": {"anything": [1, 2]}})
    assert reconciled["free"][1] == {"anything": [1, 2]}


def test_properties_the_schema_does_not_declare_are_accepted():
    p = policy("tuned", {"max": {"type": "integer"}})
    assert reconcile_config(pack(p), {"tuned": {"max": 3, "extra": True}})["tuned"][1] == {"max": 3, "extra": True}


def test_entries_for_other_packs_policies_are_kept_out_and_do_not_fail():
    p = pack(policy("mine"))
    reconciled = reconcile_config(p, {"theirs": "mandatory", "mine": "mandatory"})
    assert levels(reconciled) == {"mine": "mandatory"}
    assert unknown_policy_names(p, {"theirs": "mandatory", "mines": "advisory"}) == [
        "policy config names 'mines', which pack 'pack' does not have (did you mean 'mine'?); it is ignored, as the "
        "CLI ignores it",
        "policy config names 'theirs', which pack 'pack' does not have; it is ignored, as the CLI ignores it"]


def test_every_validation_error_of_every_policy_is_reported_sorted():
    p = pack(policy("b-rule", {"n": {"type": "integer"}}, required=["n", "m"]), policy("a-rule", {"s": {"type": "string"}}))
    with pytest.raises(PolicyConfigError) as raised:
        reconcile_config(p, {"a-rule": {"s": 1}, "b-rule": {"n": "x"}})
    assert str(raised.value).splitlines() == [
        "validating policy config: pack 1.0.0  a-rule: s: 1 is not of type 'string'",
        "validating policy config: pack 1.0.0  b-rule: 'm' is a required property",
        "validating policy config: pack 1.0.0  b-rule: n: 'x' is not of type 'integer'"]


def test_a_schema_default_fills_a_required_property():
    p = policy("d", {"foo": {"type": "string", "default": "bar"}}, required=["foo"])
    assert reconcile_config(pack(p), {})["d"][1] == {"foo": "bar"}


@pytest.mark.parametrize("config, message", [
    ({"p": "strict"}, 'parsing enforcement level for "p": "strict" is not a valid enforcement level'),
    ({"p": {"enforcementLevel": 3}}, 'parsing enforcement level for "p": 3 is not a valid enforcement level; '
                                     'must be a string'),
    ({"p": 7}, 'parsing "p": 7 is not a valid value; must be a string or object'),
    ({"all": "strict"}, 'parsing enforcement level for "all": "strict" is not a valid enforcement level'),
])
def test_malformed_entries_fail_with_the_cli_parser_message(config, message):
    with pytest.raises(PolicyConfigError) as raised:
        reconcile_config(pack(policy("p")), config)
    assert str(raised.value) == message


def test_the_enforcement_level_is_validated_as_part_of_the_schema():
    p = policy("tuned", {"max": {"type": "integer"}})
    assert levels(reconcile_config(pack(p), {"tuned": {"enforcementLevel": "disabled", "max": 1}})) == {
        "tuned": "disabled"}


def test_layers_apply_all_first_then_per_policy_initial_config_before_the_file():
    p = pack(policy("a"), policy("b"), policy("c", level=EnforcementLevel.MANDATORY),
             initial={"a": "mandatory", "all": "disabled"})
    # Initial layer: `all` first (every policy disabled), then a=mandatory; file layer: `all` advisory, b mandatory.
    assert levels(reconcile_config(p, None)) == {"a": "mandatory", "b": "disabled", "c": "disabled"}
    assert levels(reconcile_config(p, {"all": "advisory", "b": "mandatory"})) == {
        "a": "advisory", "b": "mandatory", "c": "advisory"}


def test_properties_merge_key_by_key_across_layers():
    p = pack(policy("t", {"x": {"type": "integer", "default": 1}, "y": {"type": "integer"}}),
             initial={"t": {"y": 2}})
    assert reconcile_config(p, {"t": {"x": 5}})["t"][1] == {"x": 5, "y": 2}


def test_an_empty_config_file_is_accepted(tmp_path):
    path = tmp_path / "empty.json"
    path.write_text("  \n")
    assert load_policy_config(path) is None
