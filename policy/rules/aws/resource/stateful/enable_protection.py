"""Stateful resources of prod stacks are protected from deletion by Pulumi."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, is_prod, resource_policy

STATEFUL = ("aws:dynamodb/table:Table", "aws:s3/bucket:Bucket", "aws:kms/key:Key",
            "aws:secretsmanager/secret:Secret", "aws:glue/catalogDatabase:CatalogDatabase",
            "aws:kinesis/stream:Stream", "aws:rds/instance:Instance", "aws:rds/cluster:Cluster",
            "aws:efs/fileSystem:FileSystem", "aws:cognito/userPool:UserPool")
META = RuleMeta(
    id="PROD-001", pillar=Pillar.RELIABILITY, severity=Severity.HIGH,
    description="Stateful resources (tables, buckets, keys, secrets, catalog databases, streams, databases, file "
                "systems, user pools) tagged environment=prod or production carry Pulumi's `protect` option, so "
                "neither `pulumi destroy` nor a replacing change can delete their data. The environment tag is the "
                "stack's own signal (components/tagging.py), so this holds whatever policy config is passed; "
                "exemptions do not apply.",
    remediation="Pass opts=pulumi.ResourceOptions(protect=True) for prod (this program: "
                "engagement:protectStatefulResources true).",
    default_level=EnforcementLevel.ADVISORY, wa_reference="REL09-BP01",
    url="https://www.pulumi.com/docs/iac/concepts/options/protect/", exemptible_in_prod=False)


def check(props, _config, options):
    if is_prod(props) and not getattr(options, "protect", False):
        yield "the resource is tagged prod but not protected (`protect` is off)."


POLICY = resource_policy(__name__, META, STATEFUL, check)
