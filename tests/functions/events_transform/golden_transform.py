"""The golden outputs that pin the events transform byte for byte (test_transform_golden.py reads them).

Inputs, all from real producers or AWS: the benchmark's mixed records (tools.sample_events, the generator the
demo and bench/transform_throughput.py use: SES, SMS with two-way replies, app and preference-center events), every
AWS-published example in tests/fixtures/published_events and the hand-written ones beside these tests, each of those
examples again with one field at a time replaced by an odd JSON value or removed (every error path), and payloads
that are not base64, not UTF-8, not JSON or not an object. Expected: what the transform of a given commit returns for
each, with KEEP_RAW_EVENT off and on (result, failure reason, partition keys, sha256 of the output data).

    .venv/bin/python tests/functions/events_transform/golden_transform.py --commit <commit>

rewrites tests/fixtures/transform_golden/golden.jsonl.xz from that commit's functions/events_transform and
contracts (git archive, run in a separate process). The committed file came from 774fee3, the transform before the
speed-ups of issue 9: a change that alters any output byte fails the test until the file is rewritten on purpose.
"""
from __future__ import annotations

import argparse
import base64
import copy
import hashlib
import io
import json
import lzma
import os
import random
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
GOLDEN = ROOT / "tests" / "fixtures" / "transform_golden" / "golden.jsonl.xz"
EXAMPLE_DIRS = (ROOT / "tests" / "fixtures" / "published_events", Path(__file__).parent / "events")
ARRIVAL_MS = 1_767_225_600_000
# Values a producer's bug or an attacker could put in any field: every JSON type, empty ones, times in and out of
# range and in other spellings, integers at the 64-bit edge, control and non-ASCII characters.
ODD_VALUES = (None, 0, 1, -1, 1.5, True, False, "", "x", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00.123456+02:00",
              "2026-01-01", "not a time", "TEXT_X", [], ["a"], [None], [1, "b"], {}, {"a": "b"}, {"a": [1]},
              2**63, 946_684_799_999, 4_102_444_800_000, ARRIVAL_MS, "\u00e9\u0000", "A\nb")
MALFORMED = ("", "bm90IGpzb24=", "bnVsbA==", "W10=", "MQ==", "InMi", "ew==", "//4=", "eyJhIjogTmFOfQ==",
             "eyJ4IjogMX0=", "eyJtYWlsIjogMX0=", "not base64!!", "YWJj", "YWJ=", "\u00e9")

RUNNER = r'''
import base64, hashlib, json, sys
from events_transform.normalize import transform_data
from contracts.events import InvalidEvent

def outcome(data, keep_raw):
    try:
        keys, out = transform_data(data, int(sys.argv[2]), keep_raw)
    except InvalidEvent as exc:
        return ["ProcessingFailed", exc.reason]
    except Exception:
        return ["ProcessingFailed", "internal_error"]
    return ["Ok", keys, hashlib.sha256(out.encode()).hexdigest()[:12]]

for line in open(sys.argv[1]):
    data = json.loads(line)
    print(json.dumps([outcome(data, False), outcome(data, True)]))
'''


def _b64(payload: bytes) -> str:
    return base64.b64encode(payload).decode()


def _paths(value, prefix=()):
    if isinstance(value, dict):
        for key, child in value.items():
            yield prefix + (key,)
            yield from _paths(child, prefix + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield prefix + (index,)
            yield from _paths(child, prefix + (index,))


def _mutations(example: dict, rng: random.Random):
    for path in _paths(example):
        for value in [*rng.sample(ODD_VALUES, 3), "<removed>"]:
            mutated = copy.deepcopy(example)
            parent = mutated
            for step in path[:-1]:
                parent = parent[step]
            if value == "<removed>":
                del parent[path[-1]]
            else:
                parent[path[-1]] = value
            yield mutated


def golden_inputs() -> list[str]:
    """Firehose `data` strings, in a fixed order (same seeds, same files, same mutations)."""
    sys.path.insert(0, str(ROOT))
    from tools.sample_events import generate_events

    inputs = [_b64((json.dumps(event) + "\n").encode()) for event in generate_events(2, 1000, seed=11)]
    rng = random.Random(9)
    for directory in EXAMPLE_DIRS:
        for path in sorted(directory.glob("*.json")):
            example = json.loads(path.read_text())
            inputs.append(_b64(json.dumps(example).encode()))
            inputs.extend(_b64(json.dumps(mutated).encode()) for mutated in _mutations(example, rng))
    return inputs + list(MALFORMED)


def write(commit: str) -> int:
    with tempfile.TemporaryDirectory(prefix="transform-golden-") as scratch:
        work = Path(scratch)
        archive = subprocess.run(["git", "archive", commit, "functions/events_transform", "contracts"], cwd=ROOT,
                                 check=True, capture_output=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(work, filter="data")
        (work / "inputs.jsonl").write_text("".join(json.dumps(data) + "\n" for data in golden_inputs()))
        env = dict(os.environ, PYTHONPATH=f"{work}{os.pathsep}{work / 'functions'}",
                   POWERTOOLS_TRACE_DISABLED="true")
        out = subprocess.run([sys.executable, "-c", RUNNER, str(work / "inputs.jsonl"), str(ARRIVAL_MS)],
                             cwd=work, env=env, check=True, capture_output=True).stdout
    # Payloads as their JSON text (compresses far better than base64), those that are not UTF-8 as base64
    lines = [json.dumps([_stored(data), *json.loads(expected)]) for data, expected in
             zip(golden_inputs(), out.decode().splitlines(), strict=True)]
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    header = json.dumps({"commit": commit, "arrival_ms": ARRIVAL_MS})
    GOLDEN.write_bytes(lzma.compress("\n".join([header, *lines, ""]).encode(), preset=9 | lzma.PRESET_EXTREME))
    return len(lines)


def _stored(data: str) -> str | dict:
    try:
        text = base64.b64decode(data, validate=True).decode()
    except ValueError:
        return {"b64": data}
    return text if _b64(text.encode()) == data else {"b64": data}


def read_golden() -> tuple[dict, list[tuple[str, list, list]]]:
    """(header, [(Firehose data, expected, expected with KEEP_RAW_EVENT)])."""
    lines = lzma.decompress(GOLDEN.read_bytes()).decode().splitlines()
    rows = []
    for line in lines[1:]:
        stored, expected, expected_raw = json.loads(line)
        data = stored["b64"] if isinstance(stored, dict) else _b64(stored.encode())
        rows.append((data, expected, expected_raw))
    return json.loads(lines[0]), rows


def output_digest(data: str) -> str:
    return hashlib.sha256(data.encode()).hexdigest()[:12]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commit", required=True, help="the commit whose transform produces the expected outputs")
    count = write(parser.parse_args().commit)
    print(f"{GOLDEN.relative_to(ROOT)}: {count} records")
