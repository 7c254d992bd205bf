"""SNS subscriptions deliver to HTTP endpoints over TLS only."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, known, resource_policy

SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"
META = RuleMeta(
    id="SNS-004", pillar=Pillar.SECURITY, severity=Severity.HIGH,
    description="SNS subscriptions to web endpoints use protocol `https` with an https:// endpoint, never `http`: "
                "SNS would post every message, subscription confirmation token included, in clear text.",
    remediation="Serve the endpoint over TLS and subscribe it with protocol='https', endpoint='https://...'.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC09-BP02",
    url="https://docs.aws.amazon.com/sns/latest/dg/sns-http-https-endpoint-as-subscriber.html")


def check(props, _config):
    protocol = props.get("protocol")
    endpoint = known(props, "endpoint")  # an https endpoint known only after deployment is still https
    if protocol == "http" or (protocol == "https" and isinstance(endpoint, str)
                              and not endpoint.lower().startswith("https://")):
        yield f"the {protocol} subscription delivers to {endpoint!r} without TLS."


POLICY = resource_policy(__name__, META, [SUBSCRIPTION], check)
