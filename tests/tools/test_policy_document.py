"""`aws.iam.get_policy_document` offline against the AWS provider's documented output (terraform-provider-aws
`aws_iam_policy_document`: one-element lists collapse to strings, longer lists sort in reverse, `*` principal)."""
from __future__ import annotations

import json

import pytest

from tools.harness.policy_document import policy_document

pytestmark = pytest.mark.timeout(30)


def test_the_provider_shape_of_a_document():
    result = policy_document({"statements": [
        {"sid": "Read", "actions": ["s3:GetObject", "s3:ListBucket"], "resources": ["arn:aws:s3:::b/*"]},
        {"effect": "Deny", "actions": ["s3:*"], "resources": ["*"], "principals": [{"type": "*", "identifiers": ["*"]}],
         "conditions": [{"test": "Bool", "variable": "aws:SecureTransport", "values": ["false"]}]},
        {"actions": ["sts:AssumeRole"], "principals": [{"type": "Service", "identifiers": ["lambda.amazonaws.com",
                                                                                            "edgelambda.amazonaws.com"]}]}]})
    assert json.loads(result["json"]) == {"Version": "2012-10-17", "Statement": [
        {"Sid": "Read", "Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetObject"], "Resource": "arn:aws:s3:::b/*"},
        {"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Principal": "*",
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
        {"Effect": "Allow", "Action": "sts:AssumeRole",
         "Principal": {"Service": ["lambda.amazonaws.com", "edgelambda.amazonaws.com"]}}]}
    assert result["json"].startswith('{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Sid": "Read"')
    assert json.loads(result["minifiedJson"]) == json.loads(result["json"]) and "\n" not in result["minifiedJson"]
    assert result["id"] == policy_document(dict(result))["id"]  # a pure function of the document


def test_source_statements_then_own_then_overrides_by_sid():
    source = json.dumps({"Version": "2012-10-17", "Statement": [{"Sid": "A", "Effect": "Allow", "Action": "a:1"},
                                                                {"Sid": "B", "Effect": "Allow", "Action": "b:1"}]})
    override = json.dumps({"Statement": {"Sid": "A", "Effect": "Deny", "Action": "a:2"}})
    result = json.loads(policy_document({"sourcePolicyDocuments": [source], "overridePolicyDocuments": [override],
                                         "statements": [{"sid": "B", "actions": ["b:2"]}, {"actions": ["c:1"]}]})["json"])
    assert result["Statement"] == [{"Sid": "A", "Effect": "Deny", "Action": "a:2"},
                                   {"Sid": "B", "Effect": "Allow", "Action": "b:2"},
                                   {"Effect": "Allow", "Action": "c:1"}]


def test_html_characters_are_escaped_as_go_escapes_them():
    text = policy_document({"statements": [{"actions": ["a:b"], "conditions": [
        {"test": "StringLike", "variable": "s3:prefix", "values": ["<home>&"]}]}]})["json"]
    assert "\\u003chome\\u003e\\u0026" in text
