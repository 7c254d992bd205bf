"""ProfileStore under the mock runtime: the contract's key names, encryption, PITR and protection in prod."""
from __future__ import annotations

import pytest

from contracts import profile_store as contract
from tools.harness.recorder import run_program

PROGRAM = """
from components.kms import EncryptionKey, EncryptionKeyArgs
from components.profile_store import ProfileStore, ProfileStoreArgs
import pulumi
key = EncryptionKey("key", EncryptionKeyArgs(alias="test"))
store = ProfileStore("profiles", ProfileStoreArgs(kms_key=key, protect={protect}))
pulumi.export("statements", store.writer_statements("predictive_segmentation"))
"""


@pytest.mark.parametrize("protect", [False, True])
def test_table_follows_the_contract_and_is_protected_in_prod(tmp_path, protect):
    (tmp_path / "__main__.py").write_text(PROGRAM.format(protect=protect))
    recording = run_program(tmp_path, "__main__.py", "engagement", "test", {"aws:region": "us-east-1"})
    table = recording.by_name("profiles-table")
    assert table.parent == recording.by_name("profiles", custom=False).urn
    assert (table.inputs["hashKey"], table.inputs["rangeKey"]) == (contract.HASH_KEY, contract.RANGE_KEY)
    assert table.inputs["serverSideEncryption"]["kmsKeyArn"] == recording.by_name("key-key").state["arn"]
    assert table.inputs["pointInTimeRecovery"] == {"enabled": True}
    assert table.inputs["deletionProtectionEnabled"] is protect and table.protect is protect
    statement, = recording.exports["statements"]
    assert statement["Resource"] == [table.state["arn"]] and "dynamodb:Scan" not in statement["Action"]


def test_writer_statements_refuse_an_unknown_namespace(tmp_path):
    (tmp_path / "__main__.py").write_text(PROGRAM.format(protect=False).replace(
        '"predictive_segmentation"', '"marketing"'))
    with pytest.raises(Exception, match="namespace 'marketing'"):
        run_program(tmp_path, "__main__.py", "engagement", "test", {"aws:region": "us-east-1"})
