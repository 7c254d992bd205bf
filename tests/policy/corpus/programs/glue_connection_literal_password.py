"""EXPECTED: aws-resource-input-disallow-secret-values. CLASS: 6. A Glue JDBC connection with SSL, and the password
written into the program instead of SECRET_ID."""
import pulumi_aws as aws

import baseline as b

aws.glue.Connection("crm", name="crm", connection_type="JDBC", tags=b.TAGS, connection_properties={
    "JDBC_CONNECTION_URL": "jdbc:postgresql://crm.internal:5432/crm", "JDBC_ENFORCE_SSL": "true",
    "USERNAME": "glue_reader", "PASSWORD": "Summer2026-crm-reader"})
