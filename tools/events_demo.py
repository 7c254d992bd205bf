"""`make demo`: every producer of the events database, run for real, into a local lake; then every view.

    python -m tools.events_demo [--days 2] [--events-per-day 500] [--out out/demo-lake]

Producers (each record is tagged with its producer so nothing is lost without being seen):
  aws_published      the SES, End User Messaging (SMS, voice, two-way reply through SNS) and Pinpoint-era
                     records AWS publishes in its documentation (tests/fixtures/published_events)
  generated          tools.sample_events traffic: SES, SMS with replies, custom app events, preference visits
  preference_center  the preference center's REAL API, stream sync and SMS keyword handler over moto (opt-in
                     requests and confirmations, page visits and changes, an address update, one-click
                     unsubscribes, STOP and START replies, a detached address): what they put on the stream,
                     and the replies as the two-way SMS topic delivers them to the stream.
  custom_app         custom application events built with contracts.events.custom_event
  malformed          records the transform must refuse (kept byte for byte under errors/)
  history_import     a DUE-shaped Parquet file (the seed's Glue schema) through tools.import_history
Everything except the import goes through the real transform handler in Firehose-sized batches. The report
checks: records in = rows written + ProcessingFailed, per producer, and the failed records' bytes are the
originals.
"""
from __future__ import annotations

import argparse
import base64
import contextlib
import io
import json
import os
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from components.events_database.views import view_names
from contracts.events import custom_event
from tools.local_lake import open_lake, original_bytes, query_view, transform_outputs, write_errors, write_events

PUBLISHED = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "published_events"
SOURCES = ("ses", "sms_voice", "app", "preference_center", "pinpoint_legacy")
DAY_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z


@dataclass
class DemoResult:
    lake: Path
    records_in: Counter = field(default_factory=Counter)
    rows_out: Counter = field(default_factory=Counter)
    failed: Counter = field(default_factory=Counter)
    failed_bytes_kept: bool = True
    lake_rows: int = 0
    views: dict[str, Counter] = field(default_factory=dict)

    @property
    def lossless(self) -> bool:
        return (self.failed_bytes_kept and sum(self.rows_out.values()) == self.lake_rows
                and all(self.records_in[p] == self.rows_out[p] + self.failed[p] for p in self.records_in))


def published_records() -> list[bytes]:
    from tools.sample_events import sns_envelope

    records = []
    for path in sorted(PUBLISHED.glob("*.json")):
        if path.name in ("sources.json", "sns_firehose_envelope.json"):
            continue
        record = json.loads(path.read_text())
        if path.name == "two_way_sms.json":  # SNS delivers the reply to Firehose inside its envelope
            record = sns_envelope(record, DAY_MS)
        records.append(json.dumps(record).encode() + b"\n")
    return records


def preference_center_records() -> list[bytes]:
    """The preference center's own functions, run for real over moto (tools.preference_center_local): the API
    as browsers and mail clients call it, the stream sync, the SMS keyword handler. Returns, byte for byte, what
    they put on the events stream, plus the two-way replies as the SNS topic also delivers them to it."""
    from tools.preference_center_local import running

    with running() as center:
        ana = center.optin({"EMAIL": "ana@example.net", "SMS": "+12065550177"},
                           {"runners-monthly": ["EMAIL"], "weekly-specials": ["EMAIL", "SMS"]})  # opt-in requests
        center.api("GET", "/config")                                       # an anonymous page open
        center.confirm_everything()                                        # confirmed opt-ins
        center.api("GET", "/config", token=center.manage_token(ana))      # open and read with a manage link
        center.save(ana, subscriptions={"runners-monthly": ["EMAIL"], "weekly-specials": ["EMAIL"]})  # SMS off
        center.save(ana, subscriptions={"runners-monthly": ["EMAIL"], "weekly-specials": ["EMAIL", "SMS"],
                                        "new-arrivals": ["EMAIL"]})        # SMS back (re-confirmed), one more
        center.save(ana, addresses={"EMAIL": "ana.new@example.net", "SMS": "+12065550177"})  # address update
        bo = center.optin({"EMAIL": "bo@example.net", "SMS": "+12065550178"},
                          {"weekly-specials": ["EMAIL", "SMS"], "new-arrivals": ["SMS"]})
        center.confirm_everything()
        center.one_click(bo, "weekly-specials", campaign="spring-sale")   # one-click from a campaign's mail
        center.sync()
        center.sms_reply("+12065550178", "STOP")                           # Bo texts STOP ...
        center.sync()
        center.sms_reply("+12065550178", "Start")                          # ... and START again
        center.sms_reply("+12065550199", "STOP")                           # a number nobody owns: ignored
        cy = center.optin({"EMAIL": "ana.new@example.net"}, {"shoe-collector": ["EMAIL"]})
        center.confirm_everything()                                        # Cy takes Ana's address: detach
        center.one_click(ana)                                              # Ana leaves everything
        center.sync()
        assert cy and center.sync() == {"batchItemFailures": []}
        return center.stream_records() + [json.dumps(r).encode() + b"\n" for r in center.replies]


def custom_app_records() -> list[bytes]:
    events = [custom_event("checkout.completed", DAY_MS + 5_000, app_id="shop-web", user_id="u-1",
                           campaign_id="spring-sale", attributes={"plan": "pro"}, metrics={"basket_value": 42.5}),
              custom_event("app.login", "2026-01-01T08:00:00Z", app_id="shop-ios", user_id="u-2")]
    return [json.dumps(e).encode() + b"\n" for e in events]


def malformed_records() -> list[bytes]:
    return [b'{"eventType": "Open", "mail": {"messageId": "m-1"', b"\xff\xfe not utf-8",
            json.dumps({"event_type": "checkout.completed", "event_timestamp": DAY_MS, "colour": "red"}).encode(),
            json.dumps({"eventType": "Teleport", "mail": {"messageId": "m", "timestamp": "2026-01-01T00:00:00Z"}}
                       ).encode()]


def firehose_requests(tagged: list[tuple[str, bytes]], batch_size: int = 500) -> list[dict]:
    records = [{"recordId": f"{producer}/{n}", "approximateArrivalTimestamp": DAY_MS + 86_400_000,
                "data": base64.b64encode(data).decode()} for n, (producer, data) in enumerate(tagged)]
    return [{"invocationId": "demo", "deliveryStreamArn": "arn:aws:firehose:us-east-1:123456789012:"
             "deliverystream/engagement-demo-events", "records": records[i:i + batch_size]}
            for i in range(0, len(records), batch_size)]


def build(out: Path, days: int = 2, events_per_day: int = 500, seed: int = 7) -> DemoResult:
    from tools.import_history import import_files
    from tools.sample_events import generate_events
    from tools.sample_pinpoint import pinpoint_rows, write_pinpoint_parquet

    result = DemoResult(lake=out)
    tagged = [("aws_published", r) for r in published_records()]
    tagged += [("generated", json.dumps(e).encode() + b"\n") for e in generate_events(days, events_per_day, seed)]
    with contextlib.redirect_stdout(io.StringIO()):  # the keyword handler's EMF metric lines, likewise
        tagged += [("preference_center", r) for r in preference_center_records()]
    tagged += [("custom_app", r) for r in custom_app_records()]
    tagged += [("malformed", r) for r in malformed_records()]
    by_id = {f"{producer}/{n}": data for n, (producer, data) in enumerate(tagged)}
    result.records_in.update(producer for producer, _ in tagged)
    ok, failed = [], []
    with contextlib.redirect_stdout(io.StringIO()):  # the handler's EMF metric lines are not the demo's output
        outputs = transform_outputs(firehose_requests(tagged))
    for output in outputs:
        producer = output["recordId"].split("/")[0]
        if output["result"] == "Ok":
            result.rows_out[producer] += 1
            ok.append((output["metadata"]["partitionKeys"], json.loads(base64.b64decode(output["data"]))))
        else:
            result.failed[producer] += 1
            kept = original_bytes(output["data"])
            failed.append(kept)
            result.failed_bytes_kept &= kept == by_id[output["recordId"]]
    write_events(ok, out)
    write_errors(failed, out)

    with tempfile.TemporaryDirectory() as old:
        rows = pinpoint_rows(1, 200, seed)
        write_pinpoint_parquet(rows, Path(old))
        read, import_failures = import_files(sorted(Path(old).rglob("*.parquet")), out)
    result.records_in["history_import"] = sum(read.values())
    result.rows_out["history_import"] = result.records_in["history_import"] - len(import_failures)
    result.failed["history_import"] = len(import_failures)

    con = open_lake(out)
    result.lake_rows = con.execute("SELECT count(*) FROM all_events").fetchone()[0]
    for name in view_names():
        columns, view_rows = query_view(con, name)
        counts: Counter = Counter()
        at = columns.index("event_source") if "event_source" in columns else None
        for row in view_rows:
            counts[row[at] if at is not None else "(aggregate)"] += 1
        result.views[name] = counts
    return result


def report(result: DemoResult) -> str:
    lines = ["records in -> rows written + ProcessingFailed, per producer",
             f"{'producer':<20}{'in':>8}{'rows':>8}{'failed':>8}"]
    for producer in result.records_in:
        lines.append(f"{producer:<20}{result.records_in[producer]:>8}{result.rows_out[producer]:>8}"
                     f"{result.failed[producer]:>8}")
    lines.append(f"{'total':<20}{sum(result.records_in.values()):>8}{sum(result.rows_out.values()):>8}"
                 f"{sum(result.failed.values()):>8}")
    lines.append(f"lake rows: {result.lake_rows}; failed records kept byte for byte under "
                 f"{result.lake / 'errors'}: {'yes' if result.failed_bytes_kept else 'NO'}; "
                 f"nothing lost: {'yes' if result.lossless else 'NO'}")
    lines += ["", "rows per view and per source", f"{'view':<24}{'total':>7}" + "".join(f"{s:>18}" for s in SOURCES)]
    for name, counts in result.views.items():
        lines.append(f"{name:<24}{sum(counts.values()):>7}" + "".join(
            f"{counts.get(s, '') if '(aggregate)' not in counts else '-':>18}" for s in SOURCES))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=2)
    parser.add_argument("--events-per-day", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path("out/demo-lake"))
    args = parser.parse_args(argv)
    # A local run needs neither X-Ray nor CloudWatch metrics, and one warning line per bad record is noise.
    os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "ERROR")
    if args.out.exists() and any(args.out.iterdir()):
        import shutil

        shutil.rmtree(args.out)  # a rerun must not count the previous run's files
    result = build(args.out, args.days, args.events_per_day, args.seed)
    print(report(result))
    return 0 if result.lossless else 1


if __name__ == "__main__":
    raise SystemExit(main())
