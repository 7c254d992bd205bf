"""`python -m tools.check_policy_config`: the rule-name check `pulumi policy validate-config` does not make."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def check(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tools.check_policy_config", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_shipped_configs_are_valid():
    result = check("policy/config/dev.json", "policy/config/prod.json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 policy config file(s) valid for engagement-well-architected" in result.stdout


def test_every_unknown_rule_name_gets_one_line_with_the_closest_real_name(tmp_path):
    config = json.loads((ROOT / "policy" / "config" / "prod.json").read_text())
    config["aws-s3-bucket-enforce-tsl"] = "mandatory"  # a typo: validate-config accepts it, the CLI ignores it
    config["aws-kms-key-configure-deletion-windows"] = {"minimumDays": 30}
    path = tmp_path / "prod.json"
    path.write_text(json.dumps(config))
    result = check(str(path))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{path}: unknown rule name 'aws-s3-bucket-enforce-tsl'; did you mean 'aws-s3-bucket-enforce-tls'?",
        f"{path}: unknown rule name 'aws-kms-key-configure-deletion-windows'; "
        "did you mean 'aws-kms-key-configure-deletion-window'?",
    ]
    assert "Traceback" not in result.stderr


def test_settings_are_still_checked_against_the_rule_schema(tmp_path):
    path = tmp_path / "dev.json"
    path.write_text(json.dumps({"aws-cloudwatch-log-group-configure-retention": {"minimumRetentionDays": "x"}}))
    result = check(str(path))
    assert result.returncode == 1
    # The CLI's wording (pkg/resource/analyzer/config.go): "<policy>: <property>: <error>".
    assert "configure-retention: minimumRetentionDays: 'x' is not of type 'integer'" in result.stdout


def test_unreadable_file_is_one_line_and_exit_2(tmp_path):
    result = check(str(tmp_path / "missing.json"))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "does not exist" in result.stderr
