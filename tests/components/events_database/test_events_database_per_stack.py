"""Defect 7 of issue 9 on the shipped stacks, self-contained (only the recordings): dev and prod, deployed into one
account, used to create the same Glue database `due_eventdb`."""
from __future__ import annotations


def test_dev_and_prod_get_their_own_glue_database(dev_recording, prod_recording):
    names = {recording.by_name("events-database").inputs["name"] for recording in (dev_recording, prod_recording)}
    assert len(names) == 2, names
