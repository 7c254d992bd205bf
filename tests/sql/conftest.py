"""The lake for view tests: the fixture events through the REAL transform, written as partitioned Parquet."""
from __future__ import annotations

import pytest
from views_fixture import fixture_events

from tools.local_lake import open_lake, transform, write_events, write_errors
from tools.sample_events import firehose_batches


@pytest.fixture(scope="module")
def fixture_lake(tmp_path_factory):
    lake = tmp_path_factory.mktemp("lake")
    ok, failed = transform(firehose_batches(fixture_events()))
    assert not failed, failed
    write_events(ok, lake)
    write_errors(failed, lake)
    return open_lake(lake)
