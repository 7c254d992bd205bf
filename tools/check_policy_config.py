"""Check policy config files against the pack before `pulumi policy enable` or a CI run uses them.

    python -m tools.check_policy_config policy/config/dev.json policy/config/prod.json
    python -m tools.check_policy_config --policy-pack ../other-pack config.json

`pulumi policy validate-config` validates the settings of each rule that has a schema, looping over the
pack's rules; it never looks at the config's own keys, so an entry for a rule the pack does not have (a typo,
a renamed rule) passes, and the rule meant keeps its default level. This command prints one line per unknown
rule name (with the closest real name), then checks levels and settings the way the CLI reconciles them.
Exit codes: 0 valid, 1 a config is invalid, 2 a file or the pack cannot be read.
"""
from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXIT_OK, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2


def unknown_rule_names(config: dict, rule_names: list[str]) -> list[str]:
    """One message per key that is neither `all` nor a rule of the pack."""
    problems = []
    for key in config:
        if key == "all" or key in rule_names:
            continue
        close = difflib.get_close_matches(key, rule_names, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        problems.append(f"unknown rule name '{key}'{hint}")
    return problems


def check_file(path: Path, pack) -> list[str]:
    """Every problem in one config file, each a single line prefixed with the file name."""
    from tools.harness.policy_runner import PolicyConfigError, load_policy_config, reconcile_config

    config = load_policy_config(path)  # PolicyConfigError for a missing file, bad JSON or a non-object
    names = [policy.name for policy in pack.policies]
    problems = unknown_rule_names(config, names)
    known = {key: value for key, value in config.items() if key == "all" or key in names}
    try:
        reconcile_config(pack, known)
    except PolicyConfigError as error:
        problems.append(str(error))
    return [f"{path}: {problem}" for problem in problems]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.check_policy_config", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+", type=Path, help="policy config JSON files (the CLI's format)")
    parser.add_argument("--policy-pack", type=Path, default=ROOT / "policy", help="policy pack directory")
    args = parser.parse_args(argv)

    from tools.harness.policy_runner import PolicyConfigError, load_pack

    try:
        pack = load_pack(args.policy_pack)
    except (PolicyConfigError, OSError) as error:
        print(f"error: cannot load the policy pack in {args.policy_pack}: {error}", file=sys.stderr)
        return EXIT_UNREADABLE
    problems: list[str] = []
    for path in args.files:
        try:
            problems += check_file(path, pack)
        except PolicyConfigError as error:
            print(f"error: {error}", file=sys.stderr)
            return EXIT_UNREADABLE
    for problem in problems:
        print(problem)
    if problems:
        return EXIT_INVALID
    print(f"{len(args.files)} policy config file(s) valid for {pack.name} v{pack.version} "
          f"({len(pack.policies)} rules)")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
