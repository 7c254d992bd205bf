"""Policy config files: shipped dev/prod configs are valid; malformed ones fail naming the key, before analysis."""
from __future__ import annotations

import pytest

from tools.harness.policy_runner import PolicyConfigError, reconcile_config, run_pack

from .conftest import POLICY_DIR, policy_config, recording_of
from .fixtures import make_resource

LEVELS = {"advisory", "mandatory", "remediate", "disabled"}


def cli_levels(pack, config):
    """The CLI engine's order (ReconcilePolicyPackConfig): policy defaults, then the pack's initial config,
    then the user's file, where each layer applies `all` first and then per-policy entries."""
    levels = {p.name: pack.enforcement_level.value for p in pack.policies}
    initial = {k: getattr(v, 'value', v) for k, v in (pack.initial_config or {}).items()}
    for layer in (initial, config):
        if "all" in layer:
            levels = dict.fromkeys(levels, layer["all"])
        for name, value in layer.items():
            if name != "all":
                level = value if isinstance(value, str) else value.get("enforcementLevel")
                levels[name] = level or levels[name]
    return levels


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_shipped_config_is_valid_and_means_the_same_to_the_cli_and_the_harness(pack, stack):
    config = policy_config(stack)
    reconciled = reconcile_config(pack, config)
    assert {name: level.value for name, (level, _props) in reconciled.items()} == cli_levels(pack, config)


def test_prod_makes_every_rule_mandatory(pack):
    assert {level.value for level, _ in reconcile_config(pack, policy_config("prod")).values()} == {"mandatory"}


def test_dev_keeps_s3_basics_and_runtime_mandatory_and_remediates_log_retention(pack):
    levels = {name: level.value for name, (level, _) in reconcile_config(pack, policy_config("dev")).items()}
    for name in ("aws-s3-bucket-enable-kms-encryption", "aws-s3-bucket-disallow-public-access",
                 "aws-s3-bucket-enforce-tls", "aws-lambda-function-enforce-allowed-runtime"):
        assert levels[name] == "mandatory"
    assert levels["aws-cloudwatch-log-group-configure-retention"] == "remediate"
    assert sum(level == "advisory" for level in levels.values()) > len(levels) / 2


def test_schema_defaults_are_filled_in(pack):
    _level, props = reconcile_config(pack, {})["aws-cloudwatch-log-group-configure-retention"]
    assert props == {"exemptions": [], "minimumRetentionDays": 7}


@pytest.mark.parametrize("config, fragment", [
    ({"aws-cloudwatch-log-group-configure-retention": {"minimumRetentionDays": "thirty"}},
     "aws-cloudwatch-log-group-configure-retention: minimumRetentionDays: 'thirty' is not of type 'integer'"),
    ({"aws-kms-key-enable-rotation": "mandetory"},
     'parsing enforcement level for "aws-kms-key-enable-rotation": "mandetory" is not a valid enforcement level'),
    ({"all": "strict"}, 'parsing enforcement level for "all": "strict"'),
    ({"aws-dynamodb-table-enable-deletion-protection": {"exemptions": [{"name": "t-*", "reason": "short"}]}},
     "aws-dynamodb-table-enable-deletion-protection: exemptions.0.reason: 'short' is too short"),
], ids=["wrong-setting-type", "misspelt-enforcement-level", "misspelt-all-level", "exemption-without-real-reason"])
def test_malformed_config_fails_naming_the_key_before_analysis(pack, config, fragment, monkeypatch):
    analysed = []
    from pulumi_policy.policy import _PolicyAnalyzerServicer

    monkeypatch.setattr(_PolicyAnalyzerServicer, "Analyze", lambda *a: analysed.append(a))
    with pytest.raises(PolicyConfigError) as error:
        run_pack(pack, recording_of([make_resource("aws:kms/key:Key")]), config)
    assert fragment in str(error.value)
    assert analysed == []


@pytest.mark.parametrize("config", [{"aws-s3-bucket-enforce-tsl": "mandatory"},
                                    {"aws-lambda-function-enforce-allowed-runtime": {"allowedRuntime": ["python3.13"]}}],
                         ids=["other-packs-rule-name", "undeclared-setting"])
def test_entries_the_cli_accepts_are_accepted(pack, config):
    # The CLI keeps entries for policies of other packs and settings a schema does not declare (config.go).
    assert reconcile_config(pack, config)


def test_exemption_with_reason_silences_a_resource_rule(run_rule, make):
    config = {"exemptions": [{"name": "legacy-*", "reason": "imported table, protection managed by the data team"}]}
    assert run_rule("aws-dynamodb-table-enable-deletion-protection",
                    make("aws:dynamodb/table:Table", {"deletionProtectionEnabled": False}, name="legacy-prefs"),
                    config=config) == []
    assert run_rule.last_report.not_applicable == 1


def test_exemption_applies_to_stack_rules_too(run_rule, fx):
    config = {"exemptions": [{"name": "data-bucket", "reason": "transient scratch bucket, versioning not wanted"}]}
    assert run_rule("aws-s3-bucket-enable-versioning", *fx.bucket_stack(versioning=fx.DELETE), config=config) == []


def test_config_files_are_in_the_cli_format():
    for path in (POLICY_DIR / "config").glob("*.json"):
        config = policy_config(path.stem)
        for name, value in config.items():
            level = value if isinstance(value, str) else value.get("enforcementLevel", "advisory")
            assert level in LEVELS, (path.name, name)


def test_file_all_overrides_per_rule_entries_of_the_pack_initial_config(pack):
    # Given a pack whose initial config names every rule's level (as a pack author may write it)
    from dataclasses import replace

    verbose = replace(pack, initial_config={p.name: "advisory" for p in pack.policies})
    # When a config file says `all: mandatory` and lowers one rule again
    reconciled = reconcile_config(verbose, {"all": "mandatory", "aws-kms-key-enable-rotation": "disabled"})
    levels = {name: level.value for name, (level, _) in reconciled.items()}
    # Then the file wins over the initial config, layer by layer, as the CLI reconciles it
    assert levels == cli_levels(verbose, {"all": "mandatory", "aws-kms-key-enable-rotation": "disabled"})
    assert levels["aws-kms-key-enable-rotation"] == "disabled"
    assert set(levels.values()) == {"mandatory", "disabled"}


def test_rule_checks_may_take_the_resource_type_under_any_name_and_the_options():
    # Rules written by other teams keep working: (props, config, <type>) and (props, config, options).
    from pulumi_policy import EnforcementLevel, Severity

    from rules._framework import Pillar, RuleMeta, resource_policy

    seen = []
    meta = RuleMeta(id="TEST-001", pillar=Pillar.SECURITY, severity=Severity.LOW, description="A test rule.",
                    remediation="None.", default_level=EnforcementLevel.ADVISORY, wa_reference="SEC01-BP01")
    by_type = resource_policy("rules.aws.test.thing.enable_x", meta, None,
                              lambda props, config, type_: seen.append(("type", type_)) or [])
    by_options = resource_policy("rules.aws.test.thing.enable_y", meta, None,
                                 lambda props, config, options: seen.append(("protect", options.protect)) or [])

    class Args:
        resource_type, name, props, opts = "aws:sqs/queue:Queue", "q", {}, type("O", (), {"protect": True})()

        @staticmethod
        def get_config():
            return {"exemptions": []}

    by_type.validate(Args(), lambda *a: None)
    by_options.validate(Args(), lambda *a: None)
    assert seen == [("type", "aws:sqs/queue:Queue"), ("protect", True)]
