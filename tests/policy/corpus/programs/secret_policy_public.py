"""EXPECTED: aws-secretsmanager-secret-disallow-public-policy. CLASS: 3. A resource policy on the partner API key
lets any principal read it when it asks with IfExists-guarded account checks."""
import pulumi_aws as aws

import baseline as b

kms = b.key()
secret = aws.secretsmanager.Secret("partner-key", name="partner-key", kms_key_id=kms.arn, tags=b.TAGS,
                                   opts=b.PROTECT)
rotator = b.function("rotator", kms)
aws.secretsmanager.SecretRotation("partner-key-rotation", secret_id=secret.id, rotation_lambda_arn=rotator.arn,
                                  rotation_rules={"automatically_after_days": 30})
aws.secretsmanager.SecretPolicy("partner-key-policy", secret_arn=secret.arn, policy=b.doc({
    "Sid": "Readers", "Effect": "Allow", "Principal": "*", "Action": "secretsmanager:GetSecretValue",
    "Resource": "*", "Condition": {"StringEqualsIfExists": {"aws:PrincipalAccount": b.ACCOUNT}}}))
