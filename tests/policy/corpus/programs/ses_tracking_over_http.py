"""EXPECTED: aws-sesv2-configuration-set-enforce-tls. CLASS: 4. Delivery requires TLS, but the custom tracking
domain serves open and click links with https_policy OPTIONAL."""
import pulumi_aws as aws

import baseline as b

aws.sesv2.ConfigurationSet(
    "marketing", configuration_set_name="marketing", delivery_options={"tls_policy": "REQUIRE"},
    reputation_options={"reputation_metrics_enabled": True},
    suppression_options={"suppressed_reasons": ["BOUNCE", "COMPLAINT"]},
    tracking_options={"custom_redirect_domain": "click.example.com", "https_policy": "OPTIONAL"}, tags=b.TAGS)
aws.sesv2.ConfigurationSetEventDestination(
    "marketing-events", configuration_set_name="marketing", event_destination_name="metrics",
    event_destination={"enabled": True, "matching_event_types": ["SEND", "BOUNCE", "COMPLAINT"],
                       "cloud_watch_destination": {"dimension_configurations": [{
                           "dimension_name": "campaign", "dimension_value_source": "MESSAGE_TAG",
                           "default_dimension_value": "none"}]}})
