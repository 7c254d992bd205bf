"""Write a recording as a Terraform plan JSON, so checkov's Terraform checks can read what the program deploys.

    python -m tools.checkov_plan --stack prod --out out/prod.tfplan.json
    checkov -f out/prod.tfplan.json --framework terraform_plan        # in checkov's own virtualenv

pulumi-aws is bridged from the Terraform AWS provider, so resource tokens and properties map mechanically:
`aws:s3/bucketPolicy:BucketPolicy` -> `aws_s3_bucket_policy`, `serverSideEncryption.kmsKeyArn` ->
`server_side_encryption[0].kms_key_arn` (Pulumi flattens single nested blocks; Terraform keeps them as lists).
References between resources are not written (the recording has values, not expressions), so checkov's graph
checks that follow references see side resources (S3 public access blocks, lifecycle rules, rotations) as
missing. This is how the pack's report measured checkov (see README, policy pack); checkov is not a dependency
of the pack: it pins boto3==1.35.49, which conflicts with the pack's and the program's pins.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# Terraform map arguments (keys are user data, not nested blocks).
MAPS = frozenset({"tags", "tagsAll", "variables", "parameters", "connectionProperties", "defaultArguments",
                  "dimensions", "environmentVariables", "requestParameters", "responseParameters", "stageVariables"})
TYPE_EXCEPTIONS = {"aws:s3/bucketObjectv2:BucketObjectv2": "aws_s3_object"}


def snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def terraform_type(token: str) -> str:
    """`aws:iam/rolePolicy:RolePolicy` -> `aws_iam_role_policy`; `aws:pinpoint/smsvoicev2OptOutList:...` ->
    `aws_pinpointsmsvoicev2_opt_out_list` (the provider's own name)."""
    if token in TYPE_EXCEPTIONS:
        return TYPE_EXCEPTIONS[token]
    module, kind = token.split(":")[1].split("/")
    if kind.startswith("smsvoicev2"):
        return f"aws_{module}smsvoicev2_{snake(kind.removeprefix('smsvoicev2'))}"
    return f"aws_{module}_{snake(kind)}"


def _value(value: Any, key: str) -> Any:
    if isinstance(value, dict):
        return value if key in MAPS else [{snake(k): _value(v, k) for k, v in value.items()}]
    if isinstance(value, list):
        return [item for v in value for item in (_value(v, key) if isinstance(v, dict) else [_value(v, key)])]
    return value


def to_plan(recording) -> dict[str, Any]:
    resources = []
    for registration in recording.registrations:
        # Only the bridged AWS provider maps onto Terraform's aws_* types (not aws-native, not provider objects).
        if not registration.custom or not registration.type.startswith("aws:"):
            continue
        kind = terraform_type(registration.type)
        name = re.sub(r"[^A-Za-z0-9_]", "_", registration.name)
        values = {snake(k): _value(v, k) for k, v in (registration.state or {}).items()}
        resources.append({"address": f"{kind}.{name}", "mode": "managed", "type": kind, "name": name,
                          "provider_name": "registry.terraform.io/hashicorp/aws", "values": values})
    return {"format_version": "1.2", "terraform_version": "1.9.0",
            "planned_values": {"root_module": {"resources": resources}},
            "resource_changes": [{"address": r["address"], "mode": "managed", "type": r["type"], "name": r["name"],
                                  "change": {"actions": ["create"], "before": None, "after": r["values"]}}
                                 for r in resources]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.checkov_plan", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stack", default="dev")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from tools.harness.recorder import record_stack

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(to_plan(record_stack(args.stack)), default=str, indent=1))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
