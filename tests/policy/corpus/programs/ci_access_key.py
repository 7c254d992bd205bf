"""EXPECTED: aws-iam-access-key-disallow-long-lived-keys. CLASS: 6. A CI user with a long-lived access key, whose
secret ends up in the state and in an output."""
import pulumi
import pulumi_aws as aws

import baseline as b

ci = aws.iam.User("ci", name="ci", tags=b.TAGS)
key = aws.iam.AccessKey("ci-key", user=ci.name)
pulumi.export("ci_key_id", key.id)
