"""EXPECTED: aws-iam-role-configure-external-id. CLASS: 2. An analytics vendor reads the engagement queue through
a role that trusts the vendor's account root with no sts:ExternalId: any other customer of that vendor can name
this role's ARN and have the vendor read our queue for them (the confused deputy)."""
import baseline as b

PARTNER = "210987654321"
kms = b.key()
trust = b.doc({"Sid": "Vendor", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{PARTNER}:root"},
               "Action": "sts:AssumeRole"})
b.role("vendor-reader", "", [{"Sid": "Read", "Effect": "Allow", "Action": ["sqs:ReceiveMessage"],
                              "Resource": f"arn:aws:sqs:us-east-1:{b.ACCOUNT}:work"}], trust=trust)
