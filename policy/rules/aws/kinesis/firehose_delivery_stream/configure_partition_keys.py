"""Firehose dynamic partitioning uses few, bounded partition keys and a failure prefix."""
import re

from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, get_path, resource_policy

KEY = re.compile(r"!\{partitionKeyFrom(?:Query|Lambda):[^}]+\}")
META = RuleMeta(
    id="FIREHOSE-005", pillar=Pillar.PERFORMANCE_EFFICIENCY, severity=Severity.MEDIUM,
    description="Firehose streams with dynamic partitioning use at most the configured number of partition "
                "keys in their S3 prefix. Every key combination is an active partition with its own buffer "
                "(500 per stream by default), so many keys mean tiny files and throttled delivery.",
    remediation="Partition by a few low-cardinality keys (e.g. channel plus time) and leave high-cardinality "
                "fields as columns; raise setting `maximumKeys` only with a quota increase.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="PERF03-BP04",
    url="https://docs.aws.amazon.com/firehose/latest/dev/dynamic-partitioning.html",
    settings={"maximumKeys": {"type": "integer", "minimum": 1, "default": 3}})


def check(props, config):
    s3 = props.get("extendedS3Configuration") or {}
    if get_path(s3, "dynamicPartitioningConfiguration.enabled") is not True:
        return
    keys = KEY.findall(s3.get("prefix") or "")
    if not keys:
        yield "dynamic partitioning is enabled but the prefix uses no partitionKeyFrom* expression."
    elif len(keys) > config["maximumKeys"]:
        yield f"the prefix uses {len(keys)} partition keys; at most {config['maximumKeys']} allowed."


POLICY = resource_policy(__name__, META, ["aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"], check)
