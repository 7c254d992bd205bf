"""Write the stack file of a pull request's review stack, derived from the dev stack's.

    python -m tools.ci.review_stack --pr 42          # writes Pulumi.pr-42.yaml, prints the stack name

The review workflow runs this on every push of a labelled PR (the file is never committed), then
`pulumi stack select --create pr-42` and `pulumi up`. Overrides make a review stack safe to run beside others
in the review account and to destroy when the PR closes:
- stateful resources unprotected (`pulumi destroy` must succeed), no alarm e-mail subscriptions;
- a Glue database name of its own (Glue names are per account and Region);
- the preference center off: SES allows one contact list per account and Region, so only one stack per
  account can hold it (components/preference_center/messaging.py).
The result is validated with the program's own config model before it is written.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def review_config(base: dict, pr: int) -> dict:
    config = dict(base.get("config") or {})
    secure = sorted(key for key, value in config.items() if isinstance(value, dict) and "secure" in value)
    if secure:
        raise ValueError(f"the base stack has encrypted values ({', '.join(secure)}), which only its own "
                         "secrets provider can decrypt; give review stacks plain values or set them in the "
                         "workflow with `pulumi config set --secret`")
    config.update({
        "engagement:protectStatefulResources": False,
        "engagement:alarmEmail": "",
        "engagement:eventsDatabaseGlueDatabaseName": f"due_eventdb_pr{pr}",
        "engagement:preferenceCenterEnabled": False,
    })
    return {"config": config}


def validate(config: dict, root: Path) -> None:
    """Raise components.config.ConfigError (a message naming the key) if the program would reject it."""
    from components.config import load_stack_config

    project = yaml.safe_load((root / "Pulumi.yaml").read_text())
    raw = {f"{project['name']}:{key}": spec["default"] for key, spec in (project.get("config") or {}).items()
           if isinstance(spec, dict) and "default" in spec}
    raw.update(config["config"])
    # As the CLI hands config to a program: strings as they are, everything else as JSON.
    load_stack_config({key: value if isinstance(value, str) else json.dumps(value) for key, value in raw.items()})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.ci.review_stack", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pr", type=int, required=True, help="pull request number")
    parser.add_argument("--base", default="dev", help="stack whose config the review stack starts from")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.pr <= 0:
        print("error: --pr must be a pull request number", file=sys.stderr)
        return 2
    from components.config import ConfigError

    base_file = args.root / f"Pulumi.{args.base}.yaml"
    try:
        config = review_config(yaml.safe_load(base_file.read_text()) or {}, args.pr)
        validate(config, args.root)
    except (OSError, ValueError) as error:
        print(f"error: {base_file.name}: {error}", file=sys.stderr)
        return 2
    except ConfigError as error:  # one line naming the key and the fix
        print(f"error: {error}", file=sys.stderr)
        return 2
    stack = f"pr-{args.pr}"
    target = args.root / f"Pulumi.{stack}.yaml"
    if target.is_file():  # keep what `pulumi stack init` wrote (secretsprovider, encryptedkey, encryptionsalt)
        existing = yaml.safe_load(target.read_text()) or {}
        config = {**{k: v for k, v in existing.items() if k != "config"}, **config}
    header = f"# Review stack of pull request #{args.pr}, generated from {base_file.name} by tools.ci.review_stack.\n"
    target.write_text(header + yaml.safe_dump(config, sort_keys=False))
    print(stack)
    return 0


if __name__ == "__main__":
    sys.exit(main())
