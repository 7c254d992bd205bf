"""The history importer: old DUE Parquet (as the seed's Firehose/Glue wrote it) in, new lake out, nothing lost."""
from __future__ import annotations

import json
from collections import Counter

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tools.import_history import counts_out, main, null_counts
from tools.local_lake import open_lake
from tools.sample_pinpoint import DUE_DDL_COLUMNS, pinpoint_arrow_schema, pinpoint_rows, write_pinpoint_parquet


def test_generator_writes_the_columns_glue_stored_for_the_seeds_ddl():
    # Defect 2: Glue lower-cases names, so the real files hold `awsaccountid`, not `awsAccountId`
    names = pinpoint_arrow_schema().names
    assert names == [name.lower() for name, _ in DUE_DDL_COLUMNS]
    assert "awsaccountid" in names and "awsAccountId" not in names
    click = pinpoint_arrow_schema().field("facets").type.field("email_channel").type.field("mail_event").type
    assert click.field("click").type.field("link_tags").type.names == ["unsubscribelinktag"]


def test_account_id_survives_an_import_of_the_real_file_shape(tmp_path, capsys):
    # Defect 2: the importer read awsAccountId and lost the account on every row of a real DUE file
    write_pinpoint_parquet(pinpoint_rows(1, 120, seed=5), tmp_path / "old")
    assert main(["--source", str(tmp_path / "old"), "--dest", str(tmp_path / "new")]) == 0
    assert null_counts(tmp_path / "new")["account_id"] == 0
    # and the import prints NULLs per column, so a spelling it did not know would show at once
    out = capsys.readouterr().out
    assert "account_id" in out and "NULL or empty" in out


def test_a_file_with_glues_lower_case_names_keeps_every_account_id(tmp_path):
    # Defect 2, self-contained (runs against the importer before the fix too): the seed's files hold
    # `awsaccountid`, the name Glue gave the DDL's `awsAccountId`
    rows = pinpoint_rows(1, 50, seed=9)
    schema = pinpoint_arrow_schema()
    glue = pa.schema([f.with_name(f.name.lower()) for f in schema])
    glue_rows = [{k.lower(): v for k, v in row.items()} for row in rows]
    (tmp_path / "old").mkdir()
    pq.write_table(pa.Table.from_pylist(glue_rows, schema=glue), tmp_path / "old" / "due.parquet")
    main(["--source", str(tmp_path / "old"), "--dest", str(tmp_path / "new")])
    con = open_lake(tmp_path / "new")
    assert con.execute("SELECT count(*), count(account_id) FROM all_events").fetchone() == (50, 50)


def test_camel_case_files_import_too(tmp_path):
    # Files written by other tools in the event stream's spelling are read the same way
    rows = pinpoint_rows(1, 40, seed=6)
    schema = pinpoint_arrow_schema()
    camel = pa.schema([f.with_name("awsAccountId") if f.name == "awsaccountid" else f for f in schema])
    camel_rows = [{("awsAccountId" if k == "awsaccountid" else k): v for k, v in row.items()} for row in rows]
    (tmp_path / "old").mkdir()
    pq.write_table(pa.Table.from_pylist(camel_rows, schema=camel), tmp_path / "old" / "camel.parquet")
    assert main(["--source", str(tmp_path / "old"), "--dest", str(tmp_path / "new")]) == 0
    assert null_counts(tmp_path / "new")["account_id"] == 0


def test_counts_per_event_type_are_preserved(tmp_path, capsys):
    rows = pinpoint_rows(2, 150, seed=11)
    write_pinpoint_parquet(rows, tmp_path / "old")
    assert main(["--source", str(tmp_path / "old"), "--dest", str(tmp_path / "new")]) == 0
    expected = Counter(r["event_type"] for r in rows)
    assert counts_out(tmp_path / "new") == expected
    assert f"total{sum(expected.values()):>33}{sum(expected.values()):>10}   failed: 0" in capsys.readouterr().out


def test_output_uses_the_new_layout_and_the_event_time(tmp_path):
    write_pinpoint_parquet(pinpoint_rows(1, 60, seed=2), tmp_path / "old")
    main(["--source", str(tmp_path / "old" / "events" / "**" / "*.parquet"), "--dest", str(tmp_path / "new")])
    files = list((tmp_path / "new" / "events").rglob("*.parquet"))
    assert files and all(f.parts[-4].startswith("channel=") and f.parts[-3].startswith("kind=")
                          and f.parts[-2] == "dt=2025-06-01" for f in files)
    con = open_lake(tmp_path / "new")
    assert con.execute("SELECT DISTINCT event_source FROM all_events").fetchall() == [("pinpoint_legacy",)]
    # journeys with an EMAIL activity are on the email channel (defect 5), SMS ones on sms
    journeys = dict(con.execute("SELECT channel, count(*) FROM all_events WHERE kind = 'journey.send' GROUP BY 1"
                                ).fetchall())
    assert set(journeys) <= {"email", "sms"} and journeys


def test_missing_source_is_an_error(tmp_path):
    assert main(["--source", str(tmp_path / "nothing*.parquet"), "--dest", str(tmp_path / "new")]) == 2


# --- hostile files (review 19d) ---------------------------------------------------------------------------------

def _write(rows, schema, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)


def _failed(dest):
    return [json.loads(line) for line in (dest / "errors" / "import-failed.jsonl").read_text().splitlines()]


@pytest.mark.parametrize("damage", ["truncated", "not_parquet"])
def test_an_unreadable_file_is_one_line_exit_2_and_nothing_is_written(tmp_path, capsys, damage):
    rows = pinpoint_rows(1, 30, seed=4)
    _write(rows, pinpoint_arrow_schema(), tmp_path / "old" / "a.parquet")  # read first, fine
    bad = tmp_path / "old" / "b.parquet"
    _write(rows, pinpoint_arrow_schema(), bad)
    bad.write_bytes(bad.read_bytes()[: bad.stat().st_size // 2] if damage == "truncated" else b"PAR1 hello")
    assert main(["--source", str(tmp_path / "old"), "--dest", str(tmp_path / "new")]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and str(bad) in err and "nothing was written" in err
    assert not (tmp_path / "new").exists()  # a.parquet's rows were not half-written either


def test_an_unreadable_file_leaves_an_earlier_import_as_it_was(tmp_path):
    write_pinpoint_parquet(pinpoint_rows(1, 40, seed=8), tmp_path / "first")
    assert main(["--source", str(tmp_path / "first"), "--dest", str(tmp_path / "new")]) == 0
    before = sorted((p.relative_to(tmp_path / "new"), p.read_bytes()) for p in (tmp_path / "new").rglob("*")
                    if p.is_file())
    (tmp_path / "second").mkdir()
    (tmp_path / "second" / "x.parquet").write_bytes(b"")
    assert main(["--source", str(tmp_path / "second"), "--dest", str(tmp_path / "new")]) == 2
    after = sorted((p.relative_to(tmp_path / "new"), p.read_bytes()) for p in (tmp_path / "new").rglob("*")
                   if p.is_file())
    assert after == before


@pytest.mark.parametrize("event_type", [{"a": "x"}, 5, ["_email.send"]])
def test_an_event_type_of_the_wrong_type_is_a_counted_failure_not_a_traceback(tmp_path, capsys, event_type):
    rows = pinpoint_rows(1, 12, seed=3)
    schema = pinpoint_arrow_schema()
    wrong = pa.array([event_type]).type
    hostile = pa.schema([pa.field("event_type", wrong) if f.name == "event_type" else f for f in schema])
    _write([{**r, "event_type": event_type} for r in rows], hostile, tmp_path / "old" / "a.parquet")
    assert main(["--source", str(tmp_path / "old"), "--dest", str(tmp_path / "new")]) == 1
    out = capsys.readouterr().out
    assert f"{12:>10}{0:>10}   failed: 12" in out and "of 0" in out  # every row read, none written, report printed
    assert len(_failed(tmp_path / "new")) == 12


def test_both_spellings_at_once_agreeing_import_and_disagreeing_are_refused(tmp_path):
    rows = pinpoint_rows(1, 20, seed=12)
    both = pa.schema(list(pinpoint_arrow_schema()) + [pa.field("awsAccountId", pa.string())])
    hostile = [{**r, "awsAccountId": r["awsaccountid"] if n % 2 else "999999999999"} for n, r in enumerate(rows)]
    _write(hostile, both, tmp_path / "old" / "a.parquet")
    assert main(["--source", str(tmp_path / "old"), "--dest", str(tmp_path / "new")]) == 1
    con = open_lake(tmp_path / "new")
    assert con.execute("SELECT count(*), count(DISTINCT account_id) FROM all_events").fetchone() == (10, 1)
    assert con.execute("SELECT count(*) FROM all_events WHERE account_id = '999999999999'").fetchone() == (0,)
    failed = _failed(tmp_path / "new")
    assert len(failed) == 10 and {f["reason"] for f in failed} == {"conflicting_field"}


def test_a_map_with_a_repeated_key_fails_that_row_only(tmp_path):
    rows = pinpoint_rows(1, 20, seed=13)
    rows[5] = {**rows[5], "attributes": [("campaign_id", "a"), ("campaign_id", "b")]}
    _write(rows, pinpoint_arrow_schema(), tmp_path / "old" / "a.parquet")
    assert main(["--source", str(tmp_path / "old"), "--dest", str(tmp_path / "new")]) == 1
    assert sum(counts_out(tmp_path / "new").values()) == 19
    [failed] = _failed(tmp_path / "new")
    assert failed["reason"] == "duplicate_map_key" and '"campaign_id", "b"' in failed["row"]


def test_nested_nulls_and_huge_strings_are_written_or_failed_never_lost(tmp_path, capsys):
    rows = pinpoint_rows(1, 30, seed=14)
    hostile = ([{k: None for k in r} for r in rows[:5]]
               + [{**r, "facets": {"email_channel": None}, "attributes": None, "client": None} for r in rows[5:15]]
               + [{**r, "awsaccountid": "y" * 1_000_000} for r in rows[15:]])
    _write(hostile, pinpoint_arrow_schema(), tmp_path / "old" / "a.parquet")
    assert main(["--source", str(tmp_path / "old"), "--dest", str(tmp_path / "new")]) == 1
    assert sum(counts_out(tmp_path / "new").values()) + len(_failed(tmp_path / "new")) == 30
    assert "total                               30        25   failed: 5" in capsys.readouterr().out
    con = open_lake(tmp_path / "new")
    assert con.execute("SELECT count(*) FROM all_events WHERE length(account_id) = 1000000").fetchone() == (15,)


def test_a_second_batch_into_the_same_dest_keeps_the_first_and_reports_only_itself(tmp_path, capsys):
    first, second = pinpoint_rows(1, 50, seed=21), pinpoint_rows(1, 30, seed=22)  # the same day's partitions
    write_pinpoint_parquet(first, tmp_path / "batch1")
    write_pinpoint_parquet(second, tmp_path / "batch2")
    bad = {**second[0], "event_timestamp": None}
    _write([bad], pinpoint_arrow_schema(), tmp_path / "batch1" / "bad.parquet")
    assert main(["--source", str(tmp_path / "batch1"), "--dest", str(tmp_path / "new")]) == 1
    capsys.readouterr()
    assert main(["--source", str(tmp_path / "batch2"), "--dest", str(tmp_path / "new")]) == 0
    out = capsys.readouterr().out
    assert f"total{30:>33}{30:>10}   failed: 0" in out and "of 30" in out
    assert sum(counts_out(tmp_path / "new").values()) == 80  # batch 1 was not overwritten
    assert len(_failed(tmp_path / "new")) == 1  # nor its failure
    # re-importing batch 2 replaces its own files: no duplicates
    assert main(["--source", str(tmp_path / "batch2"), "--dest", str(tmp_path / "new")]) == 0
    assert sum(counts_out(tmp_path / "new").values()) == 80


def test_a_dest_that_is_a_file_is_one_line_exit_2(tmp_path, capsys):
    write_pinpoint_parquet(pinpoint_rows(1, 10, seed=1), tmp_path / "old")
    (tmp_path / "new").write_text("not a folder")
    assert main(["--source", str(tmp_path / "old"), "--dest", str(tmp_path / "new")]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "cannot write to" in err
    assert (tmp_path / "new").read_text() == "not a folder"


def test_a_dest_inside_the_source_is_refused_on_the_second_run(tmp_path, capsys):
    write_pinpoint_parquet(pinpoint_rows(1, 10, seed=1), tmp_path / "old")
    assert main(["--source", str(tmp_path / "old"), "--dest", str(tmp_path / "old" / "imported")]) == 0
    before = sorted(p for p in (tmp_path / "old").rglob("*"))
    capsys.readouterr()
    # the first run's output is now under --source: it would be imported again as if it were Pinpoint rows
    assert main(["--source", str(tmp_path / "old"), "--dest", str(tmp_path / "old" / "imported")]) == 2
    assert "inside --dest" in capsys.readouterr().err
    assert sorted(p for p in (tmp_path / "old").rglob("*")) == before
