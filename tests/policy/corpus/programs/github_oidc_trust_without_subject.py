"""EXPECTED: aws-iam-role-configure-web-identity-subject. CLASS: 2. The deploy role trusts GitHub's OIDC provider
with the audience only: any repository on GitHub can assume it."""
import pulumi_aws as aws

import baseline as b

github = aws.iam.OpenIdConnectProvider("github", url="https://token.actions.githubusercontent.com",
                                       client_id_lists=["sts.amazonaws.com"], tags=b.TAGS)
aws.iam.Role("deploy", name="deploy", tags=b.TAGS, assume_role_policy=github.arn.apply(lambda arn: b.doc({
    "Effect": "Allow", "Principal": {"Federated": arn}, "Action": "sts:AssumeRoleWithWebIdentity",
    "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}})))
