"""aws-wafv2-web-acl-enable-logging: a web ACL and its logging configuration, found by dependency or by ARN."""
POLICY = "aws-wafv2-web-acl-enable-logging"
ACL = "aws:wafv2/webAcl:WebAcl"
LOGGING = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration"
ACL_ARN = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/acl/1"
LOGS = ["arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-acl"]


def test_acl_with_logging_by_dependency_is_compliant(run_rule, make):
    logging = make(LOGGING, props={"resourceArn": ACL_ARN, "logDestinationConfigs": LOGS}, name="acl-logging",
                   deps={"resourceArn": ["acl"]})
    assert run_rule(POLICY, make(ACL, name="acl"), logging) == []


def test_acl_with_logging_by_arn_is_compliant(run_rule, make):
    logging = make(LOGGING, props={"resourceArn": ACL_ARN, "logDestinationConfigs": LOGS}, name="acl-logging")
    assert run_rule(POLICY, make(ACL, {"arn": ACL_ARN}, name="acl"), logging) == []


def test_acl_without_logging_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(ACL, {"arn": ACL_ARN}, name="acl")), "web ACL acl has no logging configuration")


def test_logging_of_another_acl_does_not_count(run_rule, make, violation):
    other = make(LOGGING, props={"resourceArn": ACL_ARN.replace("acl/1", "other/2"), "logDestinationConfigs": LOGS},
                 name="other-logging")
    violation(run_rule(POLICY, make(ACL, {"arn": ACL_ARN}, name="acl"), other), "has no logging configuration")
