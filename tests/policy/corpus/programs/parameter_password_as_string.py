"""EXPECTED: aws-ssm-parameter-enforce-secure-string. CLASS: 6. The database password goes to Parameter Store as
a plain `String` ("the Lambda reads it from SSM anyway"): stored unencrypted, shown in the console and readable by
every role with ssm:GetParameter. The secret-values rule leaves parameter values alone by design."""
import pulumi_aws as aws

import baseline as b

aws.ssm.Parameter("db-password", name="/corpus/prod/db-password", type="String", value="Orders-2026-Winter!",
                  tags=b.TAGS)
