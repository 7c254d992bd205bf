"""The history importer: old DUE Parquet (as the seed's Firehose/Glue wrote it) in, new lake out, nothing lost."""
from __future__ import annotations

from collections import Counter

import pyarrow as pa
import pyarrow.parquet as pq

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
