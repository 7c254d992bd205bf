"""The offline plan: what `pulumi preview --policy-pack policy` would show, without the CLI, plugins or AWS.

    python -m tools.plan --stack dev
    python -m tools.plan --stack prod --policy-config policy/config/prod.json
    python -m tools.plan --program ../other-repo --stack ci --policy-pack policy
    python -m tools.plan --stack prod --mode update      # outputs filled with plausible values: a deeper check

Runs the program as the Python language host would (dry run, the stack's config; a stack without a
Pulumi.<stack>.yaml runs on the project's defaults), records every resource, runs the policy pack against the
recording as the engine runs analyzers, prints a preview-like tree and the policy report, and writes the
resource graph (Mermaid, DOT), the recording and the findings (JSON) under --out.

Exit codes: 0 no mandatory violation; 1 mandatory policy violation; 2 a user error in the project, the stack
config or the policy config (one message, no traceback); 3 the program or a policy crashed or did not finish
in time (one line naming the file and line; the traceback with --verbose).
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
import traceback
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXIT_OK, EXIT_MANDATORY, EXIT_INPUT, EXIT_CRASH = 0, 1, 2, 3


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tools.plan", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stack", default="dev", help="stack name; reads Pulumi.<stack>.yaml if it exists")
    parser.add_argument("--program", type=Path, default=ROOT, help="Pulumi Python program directory")
    parser.add_argument("--policy-pack", type=Path, default=ROOT / "policy", help="policy pack directory")
    parser.add_argument("--policy-config", type=Path, default=None,
                        help="policy config JSON in the CLI's format (default: <policy-pack>/config/<stack>.json "
                             "when it exists)")
    parser.add_argument("--mode", choices=("preview", "update"), default="preview",
                        help="preview (default): like `pulumi preview` of a new stack, outputs the provider "
                             "computes are unknown; update: outputs get plausible values so every policy runs")
    parser.add_argument("--preview", action="store_const", const="preview", dest="mode",
                        help="same as --mode preview (the default)")
    parser.add_argument("--timeout", type=float, default=300.0,
                        help="seconds the program may run before the plan stops and says what it waited on")
    parser.add_argument("--out", type=Path, default=None, help="where to write graphs (default: out/plan-<stack>)")
    parser.add_argument("--quiet", action="store_true", help="print only the summary and violations")
    parser.add_argument("--verbose", action="store_true", help="print tracebacks of crashes")
    parser.add_argument("--timings", action="store_true", help="print where the time went")
    return parser.parse_args(argv)


def _crash(error: BaseException, roots: list[Path], verbose: bool, what: str) -> int:
    from tools.harness.runtime import crash_site, one_line

    if verbose:
        traceback.print_exception(error)
    print(f"error: {what} crashed: {one_line(error)} (at {crash_site(error, roots)})", file=sys.stderr)
    return EXIT_CRASH


def main(argv: list[str] | None = None) -> int:
    started = time.perf_counter()
    # A plan is one short run: cyclic garbage collection only walks, again and again, the hundreds of thousands
    # of objects the provider SDKs create at import (it cost more than the program); memory stays bounded.
    gc.disable()
    args = parse_args(argv)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    from tools.harness import lazy_annotations

    lazy_annotations.install()
    import pulumi
    from tools.harness import render
    from tools.harness.policy_config import PolicyConfigError, load_policy_config, reconcile_config, \
        unknown_policy_names
    from tools.harness.policy_runner import PackEnvironment, PolicyCrash, load_pack, run_pack
    from tools.harness.project import ProjectError, load_project, stack_config
    from tools.harness.recorder import run_program
    from tools.harness.runtime import PlanTimeout

    imported = time.perf_counter()
    policy_config_path = args.policy_config
    default_config = args.policy_pack / "config" / f"{args.stack}.json"
    if policy_config_path is None and default_config.is_file():
        policy_config_path = default_config
    try:
        project = load_project(args.program)
        config = stack_config(project, args.stack)
        environment = PackEnvironment(project.name, args.stack, config.values, args.mode == "preview")
        pack = load_pack(args.policy_pack, environment)
        policy_config = load_policy_config(policy_config_path)
        reconciled = reconcile_config(pack, policy_config)  # a malformed config fails before any analysis
    except (ProjectError, PolicyConfigError) as error:
        for line in str(error).splitlines():
            print(f"error: {line}", file=sys.stderr)
        return EXIT_INPUT
    except PolicyCrash as error:
        if args.verbose and error.__cause__:
            traceback.print_exception(error.__cause__)
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CRASH
    for note in (*config.notes, *unknown_policy_names(pack, policy_config)):
        print(f"warning: {note}", file=sys.stderr)
    loaded = time.perf_counter()
    try:
        recording = run_program(project.directory, project.main, project.name, args.stack, config.values,
                                mode=args.mode, secret_keys=config.secret_keys, timeout=args.timeout)
    except pulumi.RunError as error:  # e.g. a missing required config key: the SDK's message, as the CLI shows it
        print(f"error: {'; '.join(line.strip() for line in str(error).splitlines() if line.strip())}",
              file=sys.stderr)
        return EXIT_INPUT
    except PlanTimeout as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CRASH
    except Exception as error:  # noqa: BLE001 the program's own bug
        return _crash(error, [project.directory], args.verbose, "the program")
    recorded = time.perf_counter()
    try:
        report = run_pack(pack, recording, reconciled=reconciled, environment=environment)
    except PolicyCrash as error:
        if args.verbose and error.__cause__:
            traceback.print_exception(error.__cause__)
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CRASH
    analysed = time.perf_counter()

    out = args.out or ROOT / "out" / f"plan-{args.stack}"
    out.mkdir(parents=True, exist_ok=True)
    (out / "graph.mmd").write_text(render.mermaid(recording))
    (out / "graph.dot").write_text(render.dot(recording))
    (out / "resources.json").write_text(json.dumps(render.to_json(recording), indent=1, default=str))
    (out / "policy-report.json").write_text(json.dumps([{**f.__dict__, "resource_name": f.resource_name}
                                                        for f in report.findings], indent=1))
    if not args.quiet:
        print(render.tree(recording))
        print()
    pack_label = os.path.relpath(args.policy_pack, Path.cwd()) if args.policy_pack.is_absolute() else args.policy_pack
    print(render.policy_report(report, str(pack_label)))
    shown = out.relative_to(ROOT) if out.is_relative_to(ROOT) else out
    print(f"\nrecorded {len(recording.registrations)} registrations ({args.mode}) in {recorded - loaded:.2f}s, "
          f"policies in {analysed - recorded:.2f}s; graphs in {shown}")
    if args.timings:
        print(f"timings: imports {imported - started:.3f}s, project+pack {loaded - imported:.3f}s, "
              f"program {recorded - loaded:.3f}s, policies {analysed - recorded:.3f}s, "
              f"output {time.perf_counter() - analysed:.3f}s")
    if report.mandatory:
        print(f"error: {len(report.mandatory)} mandatory policy violation(s)", file=sys.stderr)
        return EXIT_MANDATORY
    return EXIT_OK


def _exit(code: int) -> None:
    """Exit without the interpreter's teardown: freeing the provider SDKs' objects one by one at exit took
    about a second, and a CLI that has flushed its output has nothing left to clean up."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    _exit(main())
