"""EXPECTED: aws-wafv2-web-acl-configure-rate-based-rule. CLASS: 4. The rate-based rule is there, with action
count: it measures floods and lets them through."""
import baseline as b

kms = b.key()
b.web_acl(kms, "edge", action={"count": {}})
