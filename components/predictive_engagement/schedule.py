"""The solution's ScheduledWorkflow (components/workflow.py): the definition, what its tasks may call, its schedule."""
from __future__ import annotations

import pulumi

from .. import athena, iam
from ..events_database.reference import EventsDatabaseReference
from ..kms import EncryptionKey
from ..workflow import Schedule, ScheduledWorkflow, ScheduledWorkflowArgs
from . import workflow
from .functions import RUNS_PREFIX, Functions


def create(name: str, schedule: str, fns: Functions, events: EventsDatabaseReference,
           workgroup_name: pulumi.Output[str], key: EncryptionKey, bucket_arn: pulumi.Output[str],
           alarm_topic_arn: pulumi.Output[str], log_retention_days: int, parent: pulumi.Resource) -> ScheduledWorkflow:
    machine = pulumi.Output.all(fns.export.arn, fns.personalize.arn, fns.writer.arn, workgroup_name,
                                events.database_name).apply(lambda v: pulumi.Output.json_dumps(workflow.definition(*v)))
    statements = [
        iam.allow(["lambda:InvokeFunction"], [fns.export.arn, fns.personalize.arn, fns.writer.arn], sid="Steps"),
        *athena.query_statements(workgroup_name, bucket_arn),
        *events.read_statements(),
        iam.allow(["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
                  [pulumi.Output.concat(bucket_arn, f"/{RUNS_PREFIX}*")], sid="UnloadIntoRuns"),
        iam.allow(["s3:ListBucket", "s3:GetBucketLocation"], [bucket_arn], sid="ListRuns"),
    ]
    return ScheduledWorkflow(f"{name}-workflow", ScheduledWorkflowArgs(
        definition=machine, statements=statements, kms_key=key, alarm_topic_arn=alarm_topic_arn,
        log_retention_days=log_retention_days, depends_on=[fns.export, fns.personalize, fns.writer],
        description="Predictive user engagement: Personalize recommendations onto every profile",
        schedules=[Schedule("daily", schedule, {}, description="Daily recommendations run")]),
        opts=pulumi.ResourceOptions(parent=parent))
