"""The offline plan: what `pulumi preview --policy-pack policy` would show, without the CLI, plugins or AWS.

    python -m tools.plan --stack dev
    python -m tools.plan --stack prod --policy-config policy/config/prod.json
    python -m tools.plan --program ../other-repo --stack ci --policy-pack policy

Runs the program under Pulumi's mock runtime with the stack's config, records every resource, runs the
policy pack against the recording, prints a preview-like tree and the policy report, and writes the resource
graph (Mermaid, DOT) and the recording (JSON) under --out. Exit codes: 0 ok, 1 mandatory policy violation,
2 config, project or policy-config error (one clear line, no traceback).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXIT_OK, EXIT_MANDATORY, EXIT_INPUT = 0, 1, 2


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tools.plan", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stack", default="dev", help="stack name; reads Pulumi.<stack>.yaml (default: dev)")
    parser.add_argument("--program", type=Path, default=ROOT, help="Pulumi Python program directory")
    parser.add_argument("--policy-pack", type=Path, default=ROOT / "policy", help="policy pack directory")
    parser.add_argument("--policy-config", type=Path, default=None,
                        help="policy config JSON in the CLI's format (default: policy/config/<stack>.json "
                             "of this project when it exists)")
    parser.add_argument("--out", type=Path, default=None, help="where to write graphs (default: out/plan-<stack>)")
    parser.add_argument("--preview", action="store_true",
                        help="plan as a first preview: outputs not known yet stay unknown")
    parser.add_argument("--quiet", action="store_true", help="print only the summary and violations")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    import pulumi
    from tools.harness.policy_runner import (PolicyConfigError, load_pack, load_policy_config, reconcile_config,
                                             run_pack)
    from tools.harness.project import ProjectError, load_project, stack_config
    from tools.harness.recorder import run_program
    from tools.harness import render

    started = time.perf_counter()
    policy_config_path = args.policy_config
    default_config = args.policy_pack / "config" / f"{args.stack}.json"
    if policy_config_path is None and default_config.is_file():
        policy_config_path = default_config
    try:
        project = load_project(args.program)
        config = stack_config(project, args.stack)
        pack = load_pack(args.policy_pack)
        policy_config = load_policy_config(policy_config_path)
        reconciled = reconcile_config(pack, policy_config)  # a malformed config fails before any analysis
    except (ProjectError, PolicyConfigError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INPUT
    try:
        recording = run_program(project.directory, project.main, project.name, args.stack, config,
                                preview=args.preview)
    except pulumi.RunError as error:  # config errors (ours subclass RunError) print as one line, like the CLI
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INPUT
    recorded = time.perf_counter()
    report = run_pack(pack, recording, reconciled=reconciled)
    analysed = time.perf_counter()

    out = args.out or ROOT / "out" / f"plan-{args.stack}"
    out.mkdir(parents=True, exist_ok=True)
    (out / "graph.mmd").write_text(render.mermaid(recording))
    (out / "graph.dot").write_text(render.dot(recording))
    (out / "resources.json").write_text(json.dumps(render.to_json(recording), indent=1, default=str))
    (out / "policy-report.json").write_text(json.dumps([f.__dict__ for f in report.findings], indent=1))
    if not args.quiet:
        print(render.tree(recording))
        print()
    print(render.policy_report(report))
    print(f"\nrecorded {len(recording.registrations)} registrations in {recorded - started:.2f}s, "
          f"policies in {analysed - recorded:.2f}s; graphs in {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    if report.mandatory:
        print(f"error: {len(report.mandatory)} mandatory policy violation(s)", file=sys.stderr)
        return EXIT_MANDATORY
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
