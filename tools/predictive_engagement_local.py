"""Predictive user engagement end to end on this machine, with a local stand-in for Amazon Personalize.

    python -m tools.predictive_engagement_local --out out/engagement      (what `make engagement-demo` runs)

1. generated shoppers with planted tastes -> producer-shaped records (SES clicks, custom app events)
   -> the REAL events transform -> the local lake (tools.local_lake);
2. the interactions SQL (sql/predictive_engagement) on DuckDB, shaped like the Athena UNLOAD's JSON lines;
3. 40 % of the shoppers save the preference page (the preference center's own store code, moto DynamoDB) and
   leave out some publications, opting out of the item categories the category map gives those; 5 % of them
   drop one more while the run is under way (a stale filter, which the writer's check catches);
4. the export Lambda's consent read and conversion: Personalize's CSV, batch input with each user's filter
   values, and its sufficiency counts;
5. `implicit` ALS trained on the first 21 days, applying the filter values as Personalize's filter would
   (tools.engagement_recommender), writing Personalize's exact batch-inference output lines;
6. the writer Lambda (the deployed code, its consent check against the items catalogue included) into a local
   profile store (DynamoDB under moto), read back;
7. an offline evaluation on the last 7 days against a popularity baseline: precision@10, NDCG@10, coverage, with
   and without honouring the opt-outs, printed and plotted (`evaluation.png`). Exit 1 when an item of an
   opted-out category reached a profile, or ALS does not beat popularity by --min-lift.
"""
from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# implicit asks for a single-threaded BLAS (its own threads do the work); must be set before numpy loads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from contracts import personalize as contract  # noqa: E402
from tools.engagement_evaluation import Scores, evaluate, plot  # noqa: E402

SPLIT_DAY = 21  # train on the first 21 days of the 28 generated, evaluate on the last 7
HONOURED, IGNORING = "implicit ALS (opt-outs honoured)", "implicit ALS ignoring opt-outs"


@dataclass
class ConsentFigures:
    users_with_opt_outs: int
    opted_out_categories: int
    """Sum over those users of the item categories each opted out of."""
    filter_lines: int
    """Batch-input lines carrying filter values."""
    late_changes: int
    """Shoppers who dropped a publication after the batch input was made."""
    opted_out_in_profiles: int
    """Recommended items of an opted-out category in the profile store after the run (must be 0)."""
    opted_out_without_filter: int
    """The same count for ALS ignoring the opt-outs: what the filter kept out."""
    writer_dropped: int
    als_ignoring_opt_outs: Scores


@dataclass
class Outcome:
    exported: int
    rejected: dict[str, int]
    sufficiency: contract.Sufficiency
    als: Scores
    popularity: Scores
    written: int
    sample_profile: dict[str, Any]
    output_path: Path
    consent: ConsentFigures


def build_lake(out: Path, users: int, items: int, per_user: int, seed: int) -> tuple[Any, Any]:
    from tools.engagement_sample import catalogue, interactions, source_records
    from tools.local_lake import open_lake, transform, write_events
    from tools.sample_events import firehose_batches

    cat = catalogue(users, items, categories=10, seed=seed)
    ok, failed = transform(firehose_batches(source_records(interactions(cat, per_user, seed), seed)))
    if failed:
        raise SystemExit(f"error: the events transform refused {len(failed)} generated records")
    write_events(ok, out / "lake")
    return open_lake(out / "lake"), cat


def unload_rows(con: Any, since: str = "'2026-01-01'") -> list[dict[str, Any]]:
    """The interactions SQL on DuckDB, as the JSON objects Athena's UNLOAD (format JSON) writes."""
    from components.config import load_stack_config
    from components.predictive_engagement.interactions import render_select
    from tools.local_lake import to_duckdb

    settings = load_stack_config({}).predictive_engagement
    cursor = con.execute(to_duckdb(render_select(settings, since=since)))
    names = [d[0] for d in cursor.description]
    return [{k: v for k, v in zip(names, row) if v is not None} for row in cursor.fetchall()]


def export(rows: list[dict[str, Any]],
           consents: dict | None = None) -> tuple[str, str, contract.Sufficiency, Counter]:
    """The export Lambda's own conversion (functions/predictive_engagement_export), filter values included."""
    from functions.predictive_engagement_export.handler import convert

    csv_out, users_out = io.StringIO(), io.StringIO()
    sufficiency, rejected = convert((json.dumps(r) for r in rows), csv_out, users_out, consents)
    return csv_out.getvalue(), users_out.getvalue(), sufficiency, rejected


def split(csv_text: str, split_seconds: int) -> tuple[list[tuple[str, str, float]], dict[str, set[str]]]:
    import csv

    train, test = [], {}
    for row in csv.DictReader(io.StringIO(csv_text)):
        if int(row["TIMESTAMP"]) < split_seconds:
            train.append((row["USER_ID"], row["ITEM_ID"], float(row["EVENT_VALUE"])))
        else:
            test.setdefault(row["USER_ID"], set()).add(row["ITEM_ID"])
    return train, test


def run(out: Path, users: int = 2000, items: int = 300, per_user: int = 15, seed: int = 7) -> Outcome:
    from contracts.category_consent import NOTHING, resolve
    from tools.engagement_local_account import catalogue_csv, filter_categories, local_account
    from tools.engagement_recommender import popularity, rank, top
    from tools.engagement_sample import CATEGORY_MAP, START, later_changes, subscriptions
    from tools.preference_seed import load_sample

    out.mkdir(parents=True, exist_ok=True)
    con, cat = build_lake(out, users, items, per_user, seed)
    rows = unload_rows(con)
    (out / "unload").mkdir(exist_ok=True)
    with gzip.open(out / "unload" / "part-0000.gz", "wt") as handle:  # what UNLOAD would leave in S3
        handle.writelines(json.dumps(r) + "\n" for r in rows)
    split_seconds = int(START.timestamp()) + SPLIT_DAY * 86_400
    with local_account(resolve(load_sample(), CATEGORY_MAP)) as account:
        chosen = subscriptions(cat, seed)
        account.save_preferences(chosen)
        consents = account.consents()
        csv_text, users_jsonl, sufficiency, rejected = export(rows, consents)
        (out / "interactions.csv").write_text(csv_text)
        (out / "users.jsonl").write_text(users_jsonl)
        train, test = split(csv_text, split_seconds)
        users_list = [json.loads(line)["userId"] for line in users_jsonl.splitlines()]
        ranked, popular, seen = rank(train, users_list, seed)
        excluded = filter_categories(users_jsonl)
        als = {u: top(*ranked[u], 10, cat.category_of, excluded.get(u, frozenset())) for u in users_list}
        output_path = out / "users.jsonl.out"
        output_path.write_text("".join(contract.output_line(u, *als[u]) for u in users_list))
        late = later_changes(chosen, seed)
        account.save_preferences(late)  # while the batch job ran: its filter values are stale
        consents = account.consents()  # what the preference center says now, when the writer runs
        result = account.write(users_jsonl, output_path.read_text(),
                               catalogue_csv(cat.category_of, int(START.timestamp())), "20260329T040000Z")
        profiles = account.profiles()
    written = {u: p.attributes["recommended_items"] for u, p in profiles.items()}
    unfiltered = {u: top(*ranked[u], 10, cat.category_of)[0] for u in users_list}
    baseline = {u: popularity(popular, seen.get(u, set()), 10, cat.category_of,
                              frozenset(consents.get(u, NOTHING).opted_out)) for u in users_list}
    scores = {name: evaluate(recommended, test, len(cat.items)) for name, recommended in
              ((HONOURED, written), (IGNORING, unfiltered), ("popularity", baseline))}
    plot(scores, out / "evaluation.png")

    def opted_out(recommended: dict[str, list[str]]) -> int:  # checked against the generator's own categories
        return sum(cat.category_of[item] in consents[u].opted_out for u, its in recommended.items()
                   if u in consents for item in its)

    figures = ConsentFigures(
        users_with_opt_outs=sum(1 for c in consents.values() if c.opted_out),
        opted_out_categories=sum(len(c.opted_out) for c in consents.values()), filter_lines=len(excluded),
        late_changes=len(late),
        opted_out_in_profiles=opted_out(written), opted_out_without_filter=opted_out(unfiltered),
        writer_dropped=result["dropped_opted_out_category"] + result["dropped_uncategorised"],
        als_ignoring_opt_outs=scores[IGNORING])
    sample = {"customer_id": users_list[0], "run_id": profiles[users_list[0]].run_id,
              **profiles[users_list[0]].attributes}
    return Outcome(len(rows), dict(rejected), sufficiency, scores[HONOURED], scores["popularity"],
                   result["written"], sample, output_path, figures)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("out/engagement"))
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--per-user", type=int, default=15)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--min-lift", type=float, default=1.5,
                        help="ALS precision@10 and NDCG@10 must be at least this many times popularity's")
    args = parser.parse_args(argv)
    if args.users < 25 or args.items < 10 or args.per_user < 2:
        print("error: need --users >= 25, --items >= 10 and --per-user >= 2 (Personalize's minimums)", file=sys.stderr)
        return 2
    for key in ("POWERTOOLS_TRACE_DISABLED", "POWERTOOLS_METRICS_DISABLED"):
        os.environ.setdefault(key, "true")
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "ERROR")
    outcome = run(args.out, args.users, args.items, args.per_user, args.seed)
    figures = outcome.consent
    print(f"exported {outcome.exported} interaction rows; left out: {outcome.rejected or 'none'}")
    print(outcome.sufficiency.message)
    print(f"consent: {figures.filter_lines} batch-input lines carry a shopper's opted-out categories as filter "
          f"values; {figures.late_changes} shoppers dropped a publication while the run was under way; now "
          f"{figures.users_with_opt_outs} shoppers opt out of {figures.opted_out_categories} item categories in all")
    print(f"batch output (Personalize format): {outcome.output_path}")
    print(f"profile store: {outcome.written} users written; e.g. {json.dumps(outcome.sample_profile)}")
    print(f"items of opted-out categories in the profile store: {figures.opted_out_in_profiles} (ALS ignoring "
          f"the opt-outs: {figures.opted_out_without_filter}; dropped by the writer's check: {figures.writer_dropped})")
    print(f"\n{'model':<34}{'precision@10':>14}{'NDCG@10':>10}{'coverage':>10}{'users':>7}")
    for name, scores in ((HONOURED, outcome.als), (IGNORING, figures.als_ignoring_opt_outs),
                         ("popularity (opt-outs honoured)", outcome.popularity)):
        print(f"{name:<34}{scores.precision:>14.4f}{scores.ndcg:>10.4f}{scores.coverage:>10.3f}{scores.users:>7}")
    cost = 1 - outcome.als.precision / max(figures.als_ignoring_opt_outs.precision, 1e-9)
    print(f"honouring the opt-outs costs {cost:.1%} of precision@10 (later interactions in opted-out categories "
          f"can no longer be hit)")
    lift_p = outcome.als.precision / max(outcome.popularity.precision, 1e-9)
    lift_n = outcome.als.ndcg / max(outcome.popularity.ndcg, 1e-9)
    print(f"lift over popularity: precision@10 x{lift_p:.2f}, NDCG@10 x{lift_n:.2f} (required x{args.min_lift})")
    print(f"plot: {args.out / 'evaluation.png'}")
    if not outcome.sufficiency.sufficient:
        print(f"error: {outcome.sufficiency.message}", file=sys.stderr)
        return 1
    if figures.opted_out_in_profiles:
        print(f"error: {figures.opted_out_in_profiles} recommended items are in categories their users opted "
              f"out of", file=sys.stderr)
        return 1
    if min(lift_p, lift_n) < args.min_lift:
        print("error: ALS does not beat popularity by the required margin", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
