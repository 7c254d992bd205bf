"""CloudFront in front of the page (S3 via Origin Access Control) and the API (`/api/*`), guarded by AWS WAF.

One origin for page and API: no CORS, and the signed token never leaves the site. The API answers only through
this distribution: a viewer-request CloudFront Function adds `X-Origin-Verify` from a KeyValueStore that the
signing-key rotation writes, and the API refuses requests without it (functions/preference_api/edge.py).
Viewer TLS: with a custom domain (ACM certificate in us-east-1) `sni-only` and TLSv1.2_2021; with the default
*.cloudfront.net certificate CloudFront ignores the minimum and accepts TLSv1 and later (its own policy).
WAF and CloudFront logging are global services whose APIs live in us-east-1: those resources set the
pulumi-aws v7 per-resource `region` instead of a second provider, so they keep the stack provider's credentials,
settings and tags, and no extra provider resource has to be wired through every call.
"""
from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from .. import iam
from ..kms import EncryptionKey
from ..observability import log_group

GLOBAL_REGION = "us-east-1"
# AWS managed policies (fixed ids, documented by CloudFront).
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
PAGE_ORIGIN, API_ORIGIN = "page", "api"
MANAGED_RULE_GROUPS = ("AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet")
ORIGIN_KEY = "origin-verify"  # the KeyValueStore key functions/signing_key_rotation writes
# Sets the origin proof on every /api/* request (overwriting anything a viewer sent); without a value yet (before
# the first rotation) the header is removed and the API refuses the request.
ORIGIN_VERIFY_FUNCTION = """import cf from 'cloudfront';
const kvs = cf.kvs();
async function handler(event) {
  const request = event.request;
  try {
    request.headers['x-origin-verify'] = { value: await kvs.get('%s') };
  } catch (err) {
    delete request.headers['x-origin-verify'];
  }
  return request;
}
""" % ORIGIN_KEY
# CloudFront access-log fields: everything useful except the query string (one-click unsubscribe URLs carry a
# token there), cookies and the referrer.
LOG_FIELDS = ("timestamp", "DistributionId", "date", "time", "x-edge-location", "sc-bytes", "c-ip", "c-port",
              "cs-method", "cs(Host)", "cs-uri-stem", "sc-status", "cs(User-Agent)", "x-edge-result-type",
              "x-edge-request-id", "x-host-header", "cs-protocol", "cs-bytes", "time-taken", "ssl-protocol",
              "ssl-cipher", "x-edge-response-result-type", "cs-protocol-version", "time-to-first-byte",
              "x-edge-detailed-result-type", "sc-content-type", "c-country", "cache-behavior-path-pattern")


@dataclass(frozen=True)
class EdgeInputs:
    bucket_regional_domain_name: pulumi.Input[str]
    api_endpoint: pulumi.Input[str]
    """`https://<id>.execute-api.<region>.amazonaws.com` of the HTTP API."""
    headers_policy_id: pulumi.Input[str]
    web_acl_arn: pulumi.Input[str]
    origin_verify_function_arn: pulumi.Input[str]
    domain_name: str = ""
    """Custom domain (alias) of the distribution; '' = the default *.cloudfront.net name."""
    certificate_arn: str = ""
    """ACM certificate in us-east-1 covering `domain_name`."""


def create_origin_verify(name: str, parent: pulumi.Resource) -> tuple[aws.cloudfront.KeyValueStore,
                                                                        aws.cloudfront.Function]:
    """The KeyValueStore holding the origin proof and the viewer-request function that adds it to API calls."""
    prefix = f"{pulumi.get_project()}-{pulumi.get_stack()}-preference"
    store = aws.cloudfront.KeyValueStore(
        f"{name}-edge-values", name=f"{prefix}-edge", comment="Origin proof for the preference API (rotated)",
        opts=pulumi.ResourceOptions(parent=parent))
    function = aws.cloudfront.Function(
        f"{name}-origin-verify", name=f"{prefix}-origin-verify", runtime="cloudfront-js-2.0", publish=True,
        comment="Adds X-Origin-Verify to every /api request", code=ORIGIN_VERIFY_FUNCTION,
        key_value_store_associations=[store.arn], opts=pulumi.ResourceOptions(parent=parent))
    return store, function


def viewer_certificate(inputs: EdgeInputs) -> aws.cloudfront.DistributionViewerCertificateArgs:
    if inputs.certificate_arn:
        return aws.cloudfront.DistributionViewerCertificateArgs(
            acm_certificate_arn=inputs.certificate_arn, ssl_support_method="sni-only",
            minimum_protocol_version="TLSv1.2_2021")
    # The default certificate: CloudFront applies its TLSv1 policy whatever is set, so nothing is claimed here.
    return aws.cloudfront.DistributionViewerCertificateArgs(cloudfront_default_certificate=True)


def _visibility(metric: str) -> aws.wafv2.WebAclVisibilityConfigArgs:
    return aws.wafv2.WebAclVisibilityConfigArgs(cloudwatch_metrics_enabled=True, metric_name=metric,
                                                sampled_requests_enabled=True)


def create_web_acl(name: str, rate_limit: int, parent: pulumi.Resource) -> aws.wafv2.WebAcl:
    metric = f"{pulumi.get_project()}-{pulumi.get_stack()}-preference-center"
    rules = [aws.wafv2.WebAclRuleArgs(
        name="rate-limit-per-ip", priority=0, action=aws.wafv2.WebAclRuleActionArgs(block={}),
        statement=aws.wafv2.WebAclRuleStatementArgs(rate_based_statement=aws.wafv2.WebAclRuleStatementRateBasedStatementArgs(
            limit=rate_limit, aggregate_key_type="IP", evaluation_window_sec=300)),
        visibility_config=_visibility(f"{metric}-rate-limit"))]
    for priority, group in enumerate(MANAGED_RULE_GROUPS, start=1):
        rules.append(aws.wafv2.WebAclRuleArgs(
            name=group, priority=priority, override_action=aws.wafv2.WebAclRuleOverrideActionArgs(none={}),
            statement=aws.wafv2.WebAclRuleStatementArgs(
                managed_rule_group_statement=aws.wafv2.WebAclRuleStatementManagedRuleGroupStatementArgs(
                    vendor_name="AWS", name=group)),
            visibility_config=_visibility(f"{metric}-{group}")))
    return aws.wafv2.WebAcl(
        f"{name}-waf", scope="CLOUDFRONT", region=GLOBAL_REGION,
        description="Rate limit per IP and AWS managed protections for the preference center",
        default_action=aws.wafv2.WebAclDefaultActionArgs(allow={}), rules=rules,
        visibility_config=_visibility(metric), opts=pulumi.ResourceOptions(parent=parent))


def create_origin_access_control(name: str, parent: pulumi.Resource) -> aws.cloudfront.OriginAccessControl:
    return aws.cloudfront.OriginAccessControl(
        f"{name}-oac", name=f"{pulumi.get_project()}-{pulumi.get_stack()}-preference-page",
        description="CloudFront signs every request to the preference page bucket",
        origin_access_control_origin_type="s3", signing_behavior="always", signing_protocol="sigv4",
        opts=pulumi.ResourceOptions(parent=parent))


def create_distribution(name: str, inputs: EdgeInputs, oac: aws.cloudfront.OriginAccessControl,
                        parent: pulumi.Resource) -> aws.cloudfront.Distribution:
    api_domain = pulumi.Output.from_input(inputs.api_endpoint).apply(lambda url: url.removeprefix("https://"))
    return aws.cloudfront.Distribution(
        f"{name}-cdn", enabled=True, comment=f"Preference center ({pulumi.get_stack()})",
        default_root_object="index.html", http_version="http2and3", is_ipv6_enabled=True, price_class="PriceClass_100",
        web_acl_id=inputs.web_acl_arn, aliases=[inputs.domain_name] if inputs.domain_name else None,
        origins=[
            aws.cloudfront.DistributionOriginArgs(
                origin_id=PAGE_ORIGIN, domain_name=inputs.bucket_regional_domain_name,
                origin_access_control_id=oac.id),
            aws.cloudfront.DistributionOriginArgs(
                origin_id=API_ORIGIN, domain_name=api_domain,
                custom_origin_config=aws.cloudfront.DistributionOriginCustomOriginConfigArgs(
                    http_port=80, https_port=443, origin_protocol_policy="https-only",
                    origin_ssl_protocols=["TLSv1.2"])),
        ],
        default_cache_behavior=aws.cloudfront.DistributionDefaultCacheBehaviorArgs(
            target_origin_id=PAGE_ORIGIN, viewer_protocol_policy="redirect-to-https", compress=True,
            allowed_methods=["GET", "HEAD"], cached_methods=["GET", "HEAD"], cache_policy_id=CACHING_OPTIMIZED,
            response_headers_policy_id=inputs.headers_policy_id),
        ordered_cache_behaviors=[aws.cloudfront.DistributionOrderedCacheBehaviorArgs(
            path_pattern="/api/*", target_origin_id=API_ORIGIN,
            # https-only, not a redirect: a redirected PUT/POST would lose its body.
            viewer_protocol_policy="https-only", compress=True,
            allowed_methods=["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
            cached_methods=["GET", "HEAD"], cache_policy_id=CACHING_DISABLED,
            # Everything but Host: API Gateway routes on its own host name; the token header and query pass.
            origin_request_policy_id=ALL_VIEWER_EXCEPT_HOST_HEADER,
            function_associations=[aws.cloudfront.DistributionOrderedCacheBehaviorFunctionAssociationArgs(
                event_type="viewer-request", function_arn=inputs.origin_verify_function_arn)],
            response_headers_policy_id=inputs.headers_policy_id)],
        restrictions=aws.cloudfront.DistributionRestrictionsArgs(
            geo_restriction=aws.cloudfront.DistributionRestrictionsGeoRestrictionArgs(restriction_type="none")),
        viewer_certificate=viewer_certificate(inputs),
        opts=pulumi.ResourceOptions(parent=parent))


def create_access_logging(name: str, distribution: aws.cloudfront.Distribution, key: EncryptionKey,
                          retention_days: int, parent: pulumi.Resource) -> aws.cloudwatch.LogDelivery:
    """CloudFront standard logging (v2) into a CloudWatch log group in us-east-1.

    Legacy S3 logging needs bucket ACLs, which our buckets disable (BucketOwnerEnforced). A KMS key serves only
    its own Region, so the stack key encrypts the log group when the stack lives in us-east-1 (both shipped
    stacks do); elsewhere CloudWatch Logs' own encryption applies (access logs hold IPs, not preferences).
    """
    child = pulumi.ResourceOptions(parent=parent)
    in_global_region = (aws.config.region or GLOBAL_REGION) == GLOBAL_REGION
    prefix = f"{pulumi.get_project()}-{pulumi.get_stack()}-preference-cdn"
    logs = log_group(f"{name}-cdn-logs", f"cloudfront/{name}", retention_days,
                     key.arn if in_global_region else None, parent, region=GLOBAL_REGION)
    source = aws.cloudwatch.LogDeliverySource(
        f"{name}-cdn-log-source", name=prefix, log_type="ACCESS_LOGS", resource_arn=distribution.arn,
        region=GLOBAL_REGION, opts=child)
    destination = aws.cloudwatch.LogDeliveryDestination(
        f"{name}-cdn-log-destination", name=prefix, output_format="json", region=GLOBAL_REGION,
        delivery_destination_configuration=aws.cloudwatch.LogDeliveryDestinationDeliveryDestinationConfigurationArgs(
            destination_resource_arn=logs.arn), opts=child)
    # CloudWatch Logs checks the log group's resource policy when the delivery is created: grant it explicitly
    # (to the log delivery service, for this delivery source only) instead of relying on an implicit policy.
    account = iam.account_id()
    delivery_policy = aws.cloudwatch.LogResourcePolicy(
        f"{name}-cdn-log-policy", policy_name=f"{prefix}-delivery", region=GLOBAL_REGION, opts=child,
        policy_document=iam.document([{
            "Sid": "CloudFrontLogDelivery", "Effect": "Allow", "Principal": {"Service": "delivery.logs.amazonaws.com"},
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": [pulumi.Output.concat(logs.arn, ":*")],
            "Condition": {"StringEquals": {"aws:SourceAccount": account},
                          "ArnLike": {"aws:SourceArn": source.arn}}}]))
    return aws.cloudwatch.LogDelivery(
        f"{name}-cdn-log-delivery", delivery_source_name=source.name, record_fields=list(LOG_FIELDS),
        delivery_destination_arn=destination.arn, region=GLOBAL_REGION,
        opts=pulumi.ResourceOptions(parent=parent, depends_on=[delivery_policy]))


def create_waf_logging(name: str, web_acl: aws.wafv2.WebAcl, key: EncryptionKey, retention_days: int,
                       parent: pulumi.Resource) -> aws.wafv2.WebAclLoggingConfiguration:
    """AWS WAF's request log (which rule matched, what was blocked) into a CloudWatch log group in us-east-1.

    WAF only delivers to log groups named `aws-waf-logs-*`. One-click unsubscribe URLs carry a token in the query
    string and API calls carry one in `Authorization`, so both are redacted before WAF writes the record. The
    key follows the same rule as the CloudFront access log (the stack key when the stack is in us-east-1).
    """
    child = pulumi.ResourceOptions(parent=parent)
    in_global_region = (aws.config.region or GLOBAL_REGION) == GLOBAL_REGION
    logs = aws.cloudwatch.LogGroup(
        f"{name}-waf-logs", name=f"aws-waf-logs-{pulumi.get_project()}-{pulumi.get_stack()}-preference-center",
        retention_in_days=retention_days, kms_key_id=key.arn if in_global_region else None, region=GLOBAL_REGION,
        opts=child)
    # WAF creates this grant itself when the deployer may; declared here so creation never depends on that.
    account = iam.account_id()
    delivery_policy = aws.cloudwatch.LogResourcePolicy(
        f"{name}-waf-log-policy", policy_name=f"{pulumi.get_project()}-{pulumi.get_stack()}-preference-waf",
        region=GLOBAL_REGION, opts=child, policy_document=iam.document([{
            "Sid": "WafLogDelivery", "Effect": "Allow", "Principal": {"Service": "delivery.logs.amazonaws.com"},
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": [pulumi.Output.concat(logs.arn, ":*")],
            "Condition": {"StringEquals": {"aws:SourceAccount": account},
                          "ArnLike": {"aws:SourceArn": pulumi.Output.concat(
                              "arn:aws:logs:", GLOBAL_REGION, ":", account, ":*")}}}]))
    return aws.wafv2.WebAclLoggingConfiguration(
        f"{name}-waf-logging", resource_arn=web_acl.arn, log_destination_configs=[logs.arn], region=GLOBAL_REGION,
        redacted_fields=[aws.wafv2.WebAclLoggingConfigurationRedactedFieldArgs(query_string={}),
                         aws.wafv2.WebAclLoggingConfigurationRedactedFieldArgs(
                             single_header=aws.wafv2.WebAclLoggingConfigurationRedactedFieldSingleHeaderArgs(
                                 name="authorization"))],
        opts=pulumi.ResourceOptions(parent=parent, depends_on=[delivery_policy]))

