"""The local mode's command line: bad input stops with one line naming the thing and the fix (exit 2 before the
pipeline, exit 1 when the pipeline refuses), never a traceback."""
from __future__ import annotations

from datetime import date

import pytest

from tools import churn_local
from tools.sample_customers import make_customers, make_events, write_customers

LABELS_AT = date(2026, 7, 1)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    folder = tmp_path_factory.mktemp("churn-cli")
    customers = make_customers(250, seed=4)
    attributes = write_customers(customers, folder / "customers.csv")
    churn_local.build_lake(make_events(customers, LABELS_AT, days=60), folder / "lake")
    return attributes, folder / "lake"


def _main(capsys, *argv):
    code = churn_local.main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.err.strip()


def test_missing_attributes_file(capsys, tmp_path):
    code, err = _main(capsys, "--attributes", tmp_path / "nope.csv", "--as-of", "2026-07-01", "--out", tmp_path)
    assert code == 2 and err.startswith("error: attributes file") and "does not exist" in err
    assert "Traceback" not in err


def test_columns_that_do_not_match_the_settings(capsys, tmp_path, small):
    attributes, lake = small
    renamed = tmp_path / "customers.csv"
    renamed.write_text(attributes.read_text().replace("Attributes.Churn", "Churned"))
    code, err = _main(capsys, "--attributes", renamed, "--lake", lake, "--as-of", "2026-07-01", "--out", tmp_path)
    assert code == 2 and "not listed: ['Churned']" in err and "predictiveSegmentationAttributeColumns" in err


def test_unknown_column_in_the_settings_file(capsys, tmp_path, small):
    attributes, lake = small
    settings = tmp_path / "settings.json"
    settings.write_text('{"predictiveSegmentationNumericColumns": ["Attributes.Tenure"]}')
    code, err = _main(capsys, "--attributes", attributes, "--lake", lake, "--as-of", "2026-07-01",
                      "--settings", settings, "--out", tmp_path)
    assert code == 2 and "numeric column 'Attributes.Tenure' is not a column" in err


def test_a_label_that_is_not_zero_or_one(capsys, tmp_path, small):
    attributes, lake = small
    lines = attributes.read_text().splitlines()
    lines[5] = lines[5].rsplit(",", 1)[0] + ",maybe"
    bad = tmp_path / "customers.csv"
    bad.write_text("\n".join(lines) + "\n")
    code, err = _main(capsys, "--attributes", bad, "--lake", lake, "--as-of", "2026-07-01", "--out", tmp_path)
    assert code == 1 and "must hold 0 or 1, found 'maybe'" in err and len(err.splitlines()) == 1


def test_too_few_churners(capsys, tmp_path, small):
    attributes, lake = small
    settings = tmp_path / "settings.json"
    settings.write_text('{"predictiveSegmentationMinimumPositives": 500}')
    code, err = _main(capsys, "--attributes", attributes, "--lake", lake, "--as-of", "2026-07-01",
                      "--settings", settings, "--out", tmp_path)
    assert code == 1 and "churned customers (label 1); training needs at least 500" in err


def test_an_empty_attributes_file_gives_an_empty_feature_result(capsys, tmp_path, small):
    attributes, lake = small
    empty = tmp_path / "customers.csv"
    empty.write_text(attributes.read_text().splitlines()[0] + "\n")
    code, err = _main(capsys, "--attributes", empty, "--lake", lake, "--as-of", "2026-07-01", "--out", tmp_path)
    assert code == 1 and "the feature query returned no customers" in err


def test_neither_generate_nor_files(capsys, tmp_path):
    code, err = _main(capsys, "--out", tmp_path)
    assert code == 2 and "give --generate N" in err
