"""EXPECTED: aws-secretsmanager-secret-enable-rotation. CLASS: 4. Rotation is "on", through a schedule expression
instead of automatically_after_days: once a year."""
import pulumi_aws as aws

import baseline as b

kms = b.key()
secret = aws.secretsmanager.Secret("partner-key", name="partner-key", kms_key_id=kms.arn, tags=b.TAGS,
                                   opts=b.PROTECT)
rotator = b.function("rotator", kms)
aws.secretsmanager.SecretRotation("partner-key-rotation", secret_id=secret.id, rotation_lambda_arn=rotator.arn,
                                  rotation_rules={"schedule_expression": "rate(365 days)"})
