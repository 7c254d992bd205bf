"""CloudFront distributions log viewer requests."""
from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, StackView, get_path, resource_stack_policy

DISTRIBUTION = "aws:cloudfront/distribution:Distribution"
DELIVERY_SOURCE = "aws:cloudwatch/logDeliverySource:LogDeliverySource"
META = RuleMeta(
    id="CLOUDFRONT-006", pillar=Pillar.OPERATIONAL_EXCELLENCE, severity=Severity.MEDIUM,
    description="CloudFront distributions write access logs, either legacy standard logs (`loggingConfig.bucket`) "
                "or standard logging v2 (a CloudWatch log delivery source for the distribution).",
    remediation="Add an aws.cloudwatch.LogDeliverySource (log_type ACCESS_LOGS, resource_arn the distribution) "
                "with a delivery destination, or set logging_config.bucket.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="OPS08-BP01",
    url="https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logging.html")


def check(distribution, view: StackView, _config: Mapping[str, Any]) -> Iterable[str]:
    if get_path(distribution.props, "loggingConfig.bucket"):
        return
    if view.attached(distribution, DELIVERY_SOURCE, "resourceArn"):
        return
    yield f"distribution {distribution.name} has neither standard logs nor a log delivery source."


POLICY = resource_stack_policy(__name__, META, [DISTRIBUTION], check)
