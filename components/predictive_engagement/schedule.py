"""The solution's ScheduledWorkflow (components/workflow.py): the definition, what its tasks may call, its schedule."""
from __future__ import annotations

import pulumi

from .. import iam
from ..events_database.catalog import ATHENA_RESULTS_PREFIX
from ..events_database.schema import EVENTS_PREFIX
from ..kms import EncryptionKey
from ..workflow import Schedule, ScheduledWorkflow, ScheduledWorkflowArgs
from . import workflow
from .functions import RUNS_PREFIX, Functions


def create(name: str, schedule: str, fns: Functions, events, key: EncryptionKey, bucket_arn: pulumi.Output[str],
           alarm_topic_arn: pulumi.Output[str], log_retention_days: int, parent: pulumi.Resource) -> ScheduledWorkflow:
    machine = pulumi.Output.all(fns.export.arn, fns.personalize.arn, fns.writer.arn, events.workgroup_name,
                                events.database_name).apply(lambda v: pulumi.Output.json_dumps(workflow.definition(*v)))
    region, account = iam.region_name(), iam.account_id()
    lake = pulumi.Output.concat("arn:aws:s3:::", events.bucket_name)
    glue = lambda path: pulumi.Output.concat("arn:aws:glue:", region, ":", account, ":", path)  # noqa: E731
    statements = [
        iam.allow(["lambda:InvokeFunction"], [fns.export.arn, fns.personalize.arn, fns.writer.arn], sid="Steps"),
        iam.allow(["athena:StartQueryExecution", "athena:GetQueryExecution", "athena:StopQueryExecution"],
                  [pulumi.Output.concat("arn:aws:athena:", region, ":", account, ":workgroup/", events.workgroup_name)],
                  sid="UnloadInteractions"),
        iam.allow(["glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:GetPartitions"],
                  [glue("catalog"), glue(pulumi.Output.concat("database/", events.database_name)),
                   glue(pulumi.Output.concat("table/", events.database_name, "/*"))], sid="ReadEventsCatalog"),
        iam.allow(["s3:GetObject"], [pulumi.Output.concat(lake, f"/{EVENTS_PREFIX}*")], sid="ReadEvents"),
        iam.allow(["s3:ListBucket", "s3:GetBucketLocation"], [lake], sid="ListEvents"),
        iam.allow(["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload"],
                  [pulumi.Output.concat(lake, f"/{ATHENA_RESULTS_PREFIX}*")], sid="AthenaResults"),
        iam.allow(["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
                  [pulumi.Output.concat(bucket_arn, f"/{RUNS_PREFIX}*")], sid="UnloadIntoRuns"),
        iam.allow(["s3:ListBucket", "s3:GetBucketLocation"], [bucket_arn], sid="ListRuns"),
    ]
    if events.key_arn is not None:  # the lake of another stack is encrypted with that stack's key
        statements.append(iam.allow(["kms:Decrypt", "kms:GenerateDataKey"], [events.key_arn], sid="EventsStackKey"))
    return ScheduledWorkflow(f"{name}-workflow", ScheduledWorkflowArgs(
        definition=machine, statements=statements, kms_key=key, alarm_topic_arn=alarm_topic_arn,
        log_retention_days=log_retention_days, depends_on=[fns.export, fns.personalize, fns.writer],
        description="Predictive user engagement: Personalize recommendations onto every profile",
        schedules=[Schedule("daily", schedule, {}, description="Daily recommendations run")]),
        opts=pulumi.ResourceOptions(parent=parent))
