"""What reviewers read: a preview's changes and policy results as one Markdown body within GitHub's limits.

    python -m tools.ci.preview_report preview --stack dev --log preview.txt --events events.jsonl \
        --exit-code 0 --offline-report out/plan-dev/policy-report.json --out comment.md
    python -m tools.ci.preview_report drift --stack prod --log preview.txt --events events.jsonl \
        --exit-code 255 --out issue.md          # also writes status=drift|clean|error to $GITHUB_OUTPUT
    python -m tools.ci.preview_report offline --stack dev --log plan.txt --exit-code 1 \
        --offline-report out/plan-dev/policy-report.json --out summary.md
    python -m tools.ci.preview_report outputs --stack dev --outputs outputs.json --out summary.md

The same body goes to the PR comment, the run summary ($GITHUB_STEP_SUMMARY) and the drift issue. It is built
on success and on failure: the change summary and every policy result come first, the CLI's full `--diff`
output last, cut in the middle (never at the end, where the CLI prints its summary) so the body stays under
65,536 characters. Policy results come from the CLI's event log; the offline plan's report
(`python -m tools.plan`, policy-report.json) is added when given, and alone it still tells fork PRs, which
get no cloud credentials, what the pack found.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path

from tools.ci.engine_events import PreviewEvents, Violation, plain, read_events
from tools.ci.markdown import COMMENT_LIMIT, cell, code, fenced, table, truncate_middle

MAX_ROWS = 40
_OPS = {"create": "+ {} to create", "update": "~ {} to update", "delete": "- {} to delete",
        "replace": "+- {} to replace", "create-replacement": "++ {} to create-replace",
        "delete-replaced": "-- {} to delete-replaced", "read": "> {} to read", "import": "= {} to import",
        "same": "{} unchanged"}
_ICONS = {"mandatory": "🛑 mandatory", "advisory": "⚠️ advisory", "remediate": "🔧 remediate"}


def marker(kind: str, stack: str) -> str:
    """Hidden first line that lets the workflow find and update its own comment or issue."""
    return f"<!-- engagement-{kind}:{stack} -->"


def change_line(events: PreviewEvents) -> str:
    if not events.completed:
        return "**Changes:** unknown: the preview did not finish (see the errors below and the job log)."
    ordered = sorted(events.changes.items(), key=lambda kv: list(_OPS).index(kv[0]) if kv[0] in _OPS else 99)
    parts = [_OPS.get(op, op + " {}").format(n) for op, n in ordered if n]
    return "**Changes:** " + (" · ".join(parts) if parts else "none")


def _violation_rows(violations: list[Violation]) -> list[list[str]]:
    order = {"mandatory": 0, "remediate": 1, "advisory": 2}
    return [[_ICONS.get(v.level, cell(v.level)), code(v.policy), code(v.resource), cell(v.detail)]
            for v in sorted(violations, key=lambda v: (order.get(v.level, 3), v.policy, v.urn))]


def policy_section(events: PreviewEvents) -> list[str]:
    shown = [v for v in events.violations if v.level != "disabled"]
    packs = ", ".join(f"{code(name)} {version}" for name, version in sorted(events.policy_packs.items()))
    counts = Counter(v.level for v in shown)
    lines = ["#### Policy results (`pulumi preview --policy-pack`)",
             f"{packs or 'policy pack'}: **{counts['mandatory']} mandatory**, {counts['advisory']} advisory, "
             f"{len(events.remediations)} remediated."]
    if not shown and events.completed:
        lines.append("No violations.")
    lines += table(["Level", "Rule", "Resource", "Finding"], _violation_rows(shown), MAX_ROWS,
                   "in the job log")
    return lines


def offline_section(report_path: Path) -> list[str]:
    """The offline plan's findings (tools.plan writes them as a list of dicts: policy, level, severity, urn,
    message); advisory findings are grouped by rule to keep the comment short."""
    if not report_path.is_file():
        return ["#### Offline plan", f"No report at {code(str(report_path))}: the offline plan did not run."]
    findings = json.loads(report_path.read_text())
    mandatory = [f for f in findings if f.get("level") == "mandatory"]
    advisory = Counter(f.get("policy", "?") for f in findings if f.get("level") == "advisory")
    lines = ["#### Offline plan (`python -m tools.plan`: mock runtime, same pack and config)",
             f"**{len(mandatory)} mandatory**, {sum(advisory.values())} advisory."]
    rows = [[_ICONS["mandatory"], code(f.get("policy", "?")),
             code(Violation("", "", "", f.get("urn", ""), "").resource), cell(plain(f.get("message", ""))
                                                                              .split("\n", 1)[-1])]
            for f in sorted(mandatory, key=lambda f: (f.get("policy", ""), f.get("urn", "")))]
    lines += table(["Level", "Rule", "Resource", "Finding"], rows, MAX_ROWS, "in the offline-plan job log")
    if advisory:
        lines.append("Advisory by rule: " + ", ".join(f"{code(rule)} ×{n}" for rule, n in
                                                       sorted(advisory.items(), key=lambda kv: (-kv[1], kv[0]))))
    return lines


def error_section(events: PreviewEvents) -> list[str]:
    if not events.errors:
        return []
    lines = ["#### Errors"]
    lines += [f"- {cell(error, 500)}" for error in events.errors[:10]]
    if len(events.errors) > 10:
        lines.append(f"- …and {len(events.errors) - 10} more in the job log")
    return lines


def compose(head: list[str], log_path: Path | None, footer: str, where_full: str,
            limit: int = COMMENT_LIMIT) -> str:
    """Head sections in full, then as much of the CLI log as the limit leaves room for."""
    top = "\n".join(head).rstrip()
    log = log_path.read_text(errors="replace") if log_path and log_path.is_file() else ""
    if not log:
        return f"{top}\n\n{footer}".strip() + "\n"
    frame = "\n\n<details><summary>{}</summary>\n\n{}\n\n</details>\n\n" + footer + "\n"
    room = limit - len(top) - len(frame) - 400  # summary text and fences
    if room < 2_000:  # an unusually long head: shorten the log rather than drop the change summary
        room = 2_000
        top = top[: limit - room - len(frame) - 600] + "\n\n…(policy tables cut short, see the job log)"
    while True:  # the fence grows with the longest backtick run kept: give back what it took
        body, cut = truncate_middle(log, room, where_full)
        label = f"CLI output ({len(log.splitlines()):,} lines{', middle cut' if cut else ''})"
        result = top + frame.format(label, fenced(body, "diff"))
        if len(result) <= limit:
            return result
        room -= len(result) - limit


def preview_body(args: argparse.Namespace, kind: str = "preview") -> tuple[str, str]:
    events = read_events(args.events)
    drifted = bool(events.changed)
    if kind == "drift":
        # The engine sends its summary even when the run fails, so a finished log is not a finished check:
        # an error, or a non-zero exit that changes do not explain, is a check that could not run.
        failed = not events.completed or events.errors or (args.exit_code != 0 and not drifted)
        status = "error" if failed else ("drift" if drifted else "clean")
        title = {"clean": "✅ no drift", "drift": "⚠️ drift detected: the cloud differs from the code",
                 "error": f"❌ the drift check failed (exit {args.exit_code})"}[status]
        heading = f"### Drift check, stack {code(args.stack)}: {title}"
    elif kind == "offline":
        status = "passed" if args.exit_code == 0 else "failed"
        result = "✅ no mandatory violation" if args.exit_code == 0 else f"❌ failed (exit {args.exit_code})"
        heading = f"### Offline plan, stack {code(args.stack)}: {result}"
    else:
        ok = args.exit_code == 0 and events.completed and not events.by_level("mandatory")
        status = "passed" if ok else "failed"
        result = "✅ passed" if ok else f"❌ failed (exit {args.exit_code})"
        heading = f"### `pulumi {args.command}`, stack {code(args.stack)}: {result}"
    head = [marker(kind if kind != "preview" else args.command, args.stack), heading, ""]
    if kind != "offline":
        head += [change_line(events), ""] + policy_section(events) + [""]
    if args.offline_report:
        head += offline_section(args.offline_report) + [""]
    head += error_section(events)
    footer = f"[Job log and full output]({args.run_url})" if args.run_url else ""
    where = "the full output is in the job log" + (f" ({args.run_url})" if args.run_url else "")
    return compose(head, args.log, footer, where), status


def outputs_body(args: argparse.Namespace) -> str:
    """Stack outputs after a deploy; `pulumi stack output --json` already shows secrets as "[secret]"."""
    outputs = json.loads(args.outputs.read_text()) if args.outputs.is_file() else {}
    rows = [[code(key), code(json.dumps(value) if not isinstance(value, str) else value)]
            for key, value in sorted(outputs.items())]
    lines = [marker("outputs", args.stack), f"### Stack outputs, {code(args.stack)}", ""]
    lines += table(["Output", "Value"], rows, 200, "in `pulumi stack output`") or ["No outputs."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.ci.preview_report", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="kind", required=True)
    for kind in ("preview", "drift", "offline"):
        p = sub.add_parser(kind)
        p.add_argument("--log", type=Path, help="the command's text output (`--diff --color never`)")
        p.add_argument("--events", type=Path, help="the CLI's --event-log file")
        p.add_argument("--exit-code", type=int, required=True, help="the command's exit code")
        p.add_argument("--offline-report", type=Path, help="policy-report.json of `python -m tools.plan`")
        p.add_argument("--command", choices=["preview", "up"], default="preview", help="the CLI command run")
    outputs = sub.add_parser("outputs")
    outputs.add_argument("--outputs", type=Path, required=True, help="`pulumi stack output --json` file")
    for p in sub.choices.values():
        p.add_argument("--stack", required=True)
        p.add_argument("--out", type=Path, required=True, help="where to write the Markdown body")
        p.add_argument("--run-url", default="", help="link to the job log")
    args = parser.parse_args(argv)
    if args.kind == "outputs":
        body, status = outputs_body(args), "ok"
    else:
        body, status = preview_body(args, args.kind)
    args.out.write_text(body)
    if os.environ.get("GITHUB_OUTPUT"):
        with open(os.environ["GITHUB_OUTPUT"], "a", encoding="utf-8") as handle:
            handle.write(f"status={status}\n")
    print(f"{args.kind} report for {args.stack}: {status}, {len(body):,} characters -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
