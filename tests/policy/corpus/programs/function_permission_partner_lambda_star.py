"""EXPECTED: aws-iam-resource-policy-disallow-cross-account-broad-access. CLASS: 3. The partner account was meant
to invoke the worker, but the permission says `lambda:*`: it may also replace the worker's code and run it with the
worker's role. The cross-account rule read bucket, key, topic and queue policies, not Lambda permissions."""
import pulumi_aws as aws

import baseline as b

kms = b.key()
worker = b.function("worker", kms)
aws.lambda_.Permission("worker-partner", function=worker.name, action="lambda:*", principal="210987654321")
