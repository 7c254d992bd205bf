"""EventsDatabaseReference: what a solution that reads the events database needs to know about it.

One shape whether the database is this stack's (components/events_database), another stack's (through a
StackReference) or one named in config; `components/stack.py` builds it for those three cases. Any field may be an
Output: a stack reference's values are known only at deploy time.
"""
from __future__ import annotations

from dataclasses import dataclass

import pulumi

from .. import iam
from .schema import EVENTS_PREFIX

# The other stack's outputs a reference reads (components/stack.py exports them), by field.
STACK_OUTPUTS = {"database_name": "eventsDatabase", "bucket_name": "eventsBucket",
                 "stream_name": "eventsStreamName", "stream_arn": "eventsStreamArn",
                 "event_bus_name": "eventsBusName", "kms_key_arn": "kmsKeyArn"}


@dataclass(frozen=True)
class EventsDatabaseReference:
    database_name: pulumi.Input[str]
    """The Glue database holding `all_events` and the views."""
    bucket_name: pulumi.Input[str]
    """The data lake; events are under `events/` (contracts/events)."""
    stream_name: pulumi.Input[str] | None = None
    """The Firehose stream readers send their run summaries to (None: no summary events)."""
    stream_arn: pulumi.Input[str] | None = None
    event_bus_name: pulumi.Input[str] | None = None
    """The bus engagement events are published on, for real-time consumers (None: none known)."""
    kms_key_arn: pulumi.Input[str] | None = None
    """The key of the lake when it is not this stack's key (this stack's key is granted to every role anyway)."""

    def bucket_arn(self) -> pulumi.Output[str]:
        return pulumi.Output.concat("arn:aws:s3:::", self.bucket_name)

    def read_statements(self) -> list[iam.Statement]:
        """What a caller needs to query the events (in its own workgroup, components/athena.py): the catalog
        entries of the database and its tables, the event files, and the lake's key when it is another's."""
        region, account = iam.region_name(), iam.account_id()

        def glue(*path: pulumi.Input[str]) -> pulumi.Output[str]:
            return pulumi.Output.concat("arn:aws:glue:", region, ":", account, ":", *path)

        statements = [
            iam.allow(["glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:GetPartition",
                       "glue:GetPartitions"],
                      [glue("catalog"), glue("database/", self.database_name),
                       glue("table/", self.database_name, "/*")], sid="ReadEventsCatalog"),
            iam.allow(["s3:GetObject"], [pulumi.Output.concat(self.bucket_arn(), f"/{EVENTS_PREFIX}*")],
                      sid="ReadEvents"),
            iam.allow(["s3:ListBucket", "s3:GetBucketLocation"], [self.bucket_arn()], sid="ListEvents"),
        ]
        if self.kms_key_arn is not None:
            statements.append(iam.allow(["kms:Decrypt"], [self.kms_key_arn], sid="EventsLakeKey"))
        return statements
