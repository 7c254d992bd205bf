"""Predictive user engagement end to end on this machine, with a local stand-in for Amazon Personalize.

    python -m tools.predictive_engagement_local --out out/engagement      (what `make engagement-demo` runs)

1. generated shoppers with planted tastes -> producer-shaped records (SES clicks, custom app events)
   -> the REAL events transform -> the local lake (tools.local_lake);
2. the interactions SQL (sql/predictive_engagement) on DuckDB, shaped like the Athena UNLOAD's JSON lines;
3. the export Lambda's conversion into Personalize's CSV + batch input, and its sufficiency counts;
4. `implicit` ALS trained on the first 21 days, writing Personalize's exact batch-inference output lines;
5. the writer Lambda (the deployed code) into a local profile store (DynamoDB under moto);
6. an offline evaluation on the last 7 days against a popularity baseline: precision@10, NDCG@10, coverage,
   printed and plotted (`evaluation.png`). Exit 1 when ALS does not beat popularity by --min-lift.
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


def export(rows: list[dict[str, Any]]) -> tuple[str, str, contract.Sufficiency, Counter]:
    """The export Lambda's own conversion (functions/predictive_engagement_export)."""
    from functions.predictive_engagement_export.handler import convert

    csv_out, users_out = io.StringIO(), io.StringIO()
    sufficiency, rejected = convert((json.dumps(r) for r in rows), csv_out, users_out)
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


def recommend(train: list[tuple[str, str, float]], users: list[str], count: int,
              seed: int) -> tuple[dict[str, tuple[list[str], list[float]]], dict[str, list[str]]]:
    """ALS and popularity recommendations for every user, items already interacted with filtered out."""
    import numpy as np
    from implicit.als import AlternatingLeastSquares
    from scipy.sparse import csr_matrix

    user_index = {u: i for i, u in enumerate(users)}
    items = sorted({item for _, item, _ in train})
    item_index = {it: i for i, it in enumerate(items)}
    rows = [(user_index[u], item_index[it], w) for u, it, w in train if u in user_index]
    matrix = csr_matrix(([w for *_, w in rows], ([r for r, *_ in rows], [c for _, c, _ in rows])),
                        shape=(len(users), len(items)), dtype=np.float32)
    # 10 factors for the 10 tastes tools.engagement_sample plants; alpha weighs repeated/heavier interactions.
    model = AlternatingLeastSquares(factors=10, regularization=0.05, iterations=15, alpha=5.0,
                                    random_state=seed, num_threads=1)
    model.fit(matrix, show_progress=False)
    ids, scores = model.recommend(np.arange(len(users)), matrix, N=count, filter_already_liked_items=True)
    als = {u: ([items[j] for j in ids[i] if j >= 0], [float(s) for s in scores[i][:len(ids[i])]])
           for u, i in user_index.items()}
    popular = [it for it, _ in Counter(it for _, it, _ in train).most_common()]
    seen: dict[str, set[str]] = {}
    for u, it, _ in train:
        seen.setdefault(u, set()).add(it)
    popularity = {u: [it for it in popular if it not in seen.get(u, ())][:count] for u in users}
    return als, popularity


def write_profiles(out: Path, users_jsonl: str, output_lines: str, run_id: str) -> tuple[int, dict[str, Any]]:
    """The writer Lambda's handler against a local profile store and bucket (moto), as deployed."""
    import boto3
    from moto import mock_aws

    from contracts import profile_store
    from functions.predictive_engagement_writer import handler, settings
    from tools.lambda_context import LocalLambdaContext, lambda_environment

    env = {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local", "AWS_DEFAULT_REGION": "us-east-1",
           "PROFILE_TABLE": "profile-store", "RECOMMENDATION_COUNT": "10"}
    settings.reset()
    with lambda_environment(env), mock_aws():
        s3, dynamodb = boto3.client("s3"), boto3.client("dynamodb")
        s3.create_bucket(Bucket="local-work")
        dynamodb.create_table(TableName="profile-store", BillingMode="PAY_PER_REQUEST",
                              KeySchema=[{"AttributeName": profile_store.HASH_KEY, "KeyType": "HASH"},
                                         {"AttributeName": profile_store.RANGE_KEY, "KeyType": "RANGE"}],
                              AttributeDefinitions=[{"AttributeName": profile_store.HASH_KEY, "AttributeType": "S"},
                                                    {"AttributeName": profile_store.RANGE_KEY, "AttributeType": "S"}])
        prefix = f"predictive-engagement/runs/{run_id}/"
        s3.put_object(Bucket="local-work", Key=f"{prefix}batch-input/users.jsonl", Body=users_jsonl.encode())
        s3.put_object(Bucket="local-work", Key=f"{prefix}batch-output/users.jsonl.out", Body=output_lines.encode())
        result = handler.lambda_handler({
            "run_id": run_id, "model_version": "arn:aws:personalize:us-east-1:123456789012:solution/local/als",
            "batch_input_location": f"s3://local-work/{prefix}batch-input/users.jsonl",
            "batch_output_location": f"s3://local-work/{prefix}batch-output/"},
            LocalLambdaContext("predictive-engagement-writer-local"))
        first = json.loads(users_jsonl.splitlines()[0])["userId"]
        profile = profile_store.read_profile(dynamodb, "profile-store", first)[contract.NAMESPACE]
    settings.reset()
    return result["written"], {"customer_id": first, "run_id": profile.run_id, **profile.attributes}


def run(out: Path, users: int = 2000, items: int = 300, per_user: int = 15, seed: int = 7) -> Outcome:
    from tools.engagement_sample import START

    out.mkdir(parents=True, exist_ok=True)
    con, cat = build_lake(out, users, items, per_user, seed)
    rows = unload_rows(con)
    (out / "unload").mkdir(exist_ok=True)
    with gzip.open(out / "unload" / "part-0000.gz", "wt") as handle:  # what UNLOAD would leave in S3
        handle.writelines(json.dumps(r) + "\n" for r in rows)
    csv_text, users_jsonl, sufficiency, rejected = export(rows)
    (out / "interactions.csv").write_text(csv_text)
    (out / "users.jsonl").write_text(users_jsonl)
    split_seconds = int(START.timestamp()) + SPLIT_DAY * 86_400
    train, test = split(csv_text, split_seconds)
    users_list = [json.loads(line)["userId"] for line in users_jsonl.splitlines()]
    als, popularity = recommend(train, users_list, 10, seed)
    output = "".join(contract.output_line(u, *als[u]) for u in users_list)
    output_path = out / "users.jsonl.out"
    output_path.write_text(output)
    written, sample = write_profiles(out, users_jsonl, output, "20260329T040000Z")
    catalogue_size = len(cat.items)
    als_scores = evaluate({u: r[0] for u, r in als.items()}, test, catalogue_size)
    pop_scores = evaluate(popularity, test, catalogue_size)
    plot({"implicit ALS": als_scores, "popularity": pop_scores}, out / "evaluation.png")
    return Outcome(len(rows), dict(rejected), sufficiency, als_scores, pop_scores, written, sample, output_path)


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
    print(f"exported {outcome.exported} interaction rows; left out: {outcome.rejected or 'none'}")
    print(outcome.sufficiency.message)
    print(f"batch output (Personalize format): {outcome.output_path}")
    print(f"profile store: {outcome.written} users written; e.g. {json.dumps(outcome.sample_profile)}")
    print(f"\n{'model':<14}{'precision@10':>14}{'NDCG@10':>10}{'coverage':>10}{'users':>7}")
    for name, scores in (("implicit ALS", outcome.als), ("popularity", outcome.popularity)):
        print(f"{name:<14}{scores.precision:>14.4f}{scores.ndcg:>10.4f}{scores.coverage:>10.3f}{scores.users:>7}")
    lift_p = outcome.als.precision / max(outcome.popularity.precision, 1e-9)
    lift_n = outcome.als.ndcg / max(outcome.popularity.ndcg, 1e-9)
    print(f"lift over popularity: precision@10 x{lift_p:.2f}, NDCG@10 x{lift_n:.2f} (required x{args.min_lift})")
    print(f"plot: {args.out / 'evaluation.png'}")
    if not outcome.sufficiency.sufficient:
        print(f"error: {outcome.sufficiency.message}", file=sys.stderr)
        return 1
    if min(lift_p, lift_n) < args.min_lift:
        print("error: ALS does not beat popularity by the required margin", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
