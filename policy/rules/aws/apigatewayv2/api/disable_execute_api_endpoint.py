"""HTTP APIs served through CloudFront cannot be called around it."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, known, resource_stack_policy

API = "aws:apigatewayv2/api:Api"
DISTRIBUTION = "aws:cloudfront/distribution:Distribution"
META = RuleMeta(
    id="APIGW-004", pillar=Pillar.SECURITY, severity=Severity.HIGH,
    description="An API Gateway v2 API that is an origin of a CloudFront distribution sets "
                "`disableExecuteApiEndpoint` true. Otherwise its default https://<id>.execute-api.<region>."
                "amazonaws.com endpoint stays open: callers skip the distribution's WAF rules and rate limits "
                "and share the stage's throttle with real users.",
    remediation="Give the API a custom domain (aws.apigatewayv2.DomainName + ApiMapping), point the CloudFront "
                "origin at it, set disable_execute_api_endpoint=True, and have CloudFront add an origin-verify "
                "header the backend checks.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC05-BP02",
    url="https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-disable-default-endpoint.html")


def fronted_by(api, view) -> list:
    """Distributions with an origin pointing at the API: by dependency on `origins`, or by the endpoint host."""
    endpoint = str(known(api.props, "apiEndpoint") or "")
    host = endpoint.removeprefix("https://").rstrip("/")
    api_id = known(api.props, "id")
    found = []
    for distribution in view.of_type(DISTRIBUTION):
        depends = any(d.urn == api.urn for d in distribution.property_dependencies.get("origins", []))
        domains = [str(known(o, "domainName") or "") for o in known(distribution.props, "origins") or []]
        if depends or any(d and (d == host or (api_id and d.startswith(f"{api_id}.execute-api."))) for d in domains):
            found.append(distribution)
    return found


def check(api, view, _config):
    if api.props.get("protocolType", "HTTP") != "HTTP" or api.props.get("disableExecuteApiEndpoint") is True:
        return
    distributions = fronted_by(api, view)
    if distributions:
        yield (f"API {api.name} is behind CloudFront ({distributions[0].name}) but its default execute-api "
               f"endpoint stays open, bypassing the distribution's WAF.")


POLICY = resource_stack_policy(__name__, META, [API], check)
