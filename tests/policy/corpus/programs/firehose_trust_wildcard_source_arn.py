"""EXPECTED: aws-iam-role-configure-trust-source-condition. CLASS: 1. The Firehose trust names a SourceArn, but
for any delivery stream in any account: the confused deputy is back."""
import baseline as b

b.role("delivery", "firehose.amazonaws.com", [{"Effect": "Allow", "Action": "firehose:PutRecord",
                                                "Resource": f"arn:aws:firehose:us-east-1:{b.ACCOUNT}:deliverystream/x"}],
       trust=b.doc({"Effect": "Allow", "Principal": {"Service": "firehose.amazonaws.com"}, "Action": "sts:AssumeRole",
                    "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:firehose:*:*:deliverystream/*"}}}))
