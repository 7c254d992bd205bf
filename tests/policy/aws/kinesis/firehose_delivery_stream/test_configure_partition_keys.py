"""aws-kinesis-firehose-delivery-stream-configure-partition-keys: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-kinesis-firehose-delivery-stream-configure-partition-keys"
TYPE = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"


def test_three_partition_keys_are_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_four_partition_keys_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"extendedS3Configuration.prefix": "e/a=!{partitionKeyFromQuery:a}/b=!{partitionKeyFromQuery:b}/c=!{partitionKeyFromQuery:c}/d=!{partitionKeyFromQuery:d}/"})),
              'the prefix uses 4 partition keys; at most 3 allowed')


def test_dynamic_partitioning_without_keys_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"extendedS3Configuration.prefix": "events/"})),
              'uses no partitionKeyFrom* expression')
