"""The corpus: small programs, compliant in every respect but one realistic flaw, each planned for real (mock
runtime, recorder) and checked by the whole pack under the prod policy config. Each program names the one rule
that must fire (`EXPECTED: <policy>` in its docstring; `CONFIG: dev` to run under the dev config instead), and
nothing else may fire. `compliant.py` proves the building blocks are clean.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tools.harness.policy_runner import reconcile_config, run_pack
from tools.harness.recorder import run_program

from ..conftest import policy_config

CORPUS = Path(__file__).resolve().parent
PROGRAMS = sorted((CORPUS / "programs").glob("*.py"))


def header(program: Path) -> tuple[str | None, str]:
    text = program.read_text()
    expected = re.search(r"EXPECTED: ([\w-]+)", text).group(1)
    config = re.search(r"CONFIG: (\w+)", text)
    return (None if expected == "none" else expected), (config.group(1) if config else "prod")


@pytest.fixture(scope="module")
def reconciled(pack):
    return {env: reconcile_config(pack, policy_config(env)) for env in ("dev", "prod")}


@pytest.mark.parametrize("program", PROGRAMS, ids=[p.stem for p in PROGRAMS])
def test_program_fires_exactly_its_rule(program, pack, reconciled):
    expected, env = header(program)
    recording = run_program(CORPUS, f"programs/{program.name}", "corpus", env, {"aws:region": "us-east-1"})
    report = run_pack(pack, recording, reconciled=reconciled[env])
    fired = sorted({f.policy for f in report.findings})
    assert fired == ([expected] if expected else []), [(f.policy, f.resource_name, f.message[-160:])
                                                       for f in report.findings]
    if env == "prod":
        assert {f.level for f in report.findings} <= {"mandatory"}


def test_corpus_covers_the_six_classes_with_at_least_thirty_flaws():
    flawed = [p for p in PROGRAMS if header(p)[0]]
    classes = {re.search(r"CLASS: (\d)", p.read_text()).group(1) for p in flawed}
    assert len(flawed) >= 30 and classes == {"1", "2", "3", "4", "5", "6"}
