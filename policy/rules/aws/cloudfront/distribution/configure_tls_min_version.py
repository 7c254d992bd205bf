"""CloudFront custom certificates accept TLS 1.2 or later only."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy

META = RuleMeta(
    id="CLOUDFRONT-002", pillar=Pillar.SECURITY, severity=Severity.HIGH,
    description="CloudFront distributions with a custom certificate set `minimumProtocolVersion` to "
                "TLSv1.2_2021 or newer and `sslSupportMethod` sni-only. The default *.cloudfront.net "
                "certificate cannot be tuned; it is accepted unless setting `allowDefaultCertificate` is false.",
    remediation="Set viewer_certificate={'acm_certificate_arn': ..., 'minimum_protocol_version': "
                "'TLSv1.2_2021', 'ssl_support_method': 'sni-only'}.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC09-BP02",
    url="https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-viewer-protocols-ciphers.html",
    settings={"allowedVersions": {"type": "array", "items": {"type": "string"},
                                  "default": ["TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"]},
              "allowDefaultCertificate": {"type": "boolean", "default": True}})


def check(props, config):
    certificate = props.get("viewerCertificate") or {}
    if certificate.get("cloudfrontDefaultCertificate") is True:
        if not config["allowDefaultCertificate"]:
            yield "the distribution uses the default certificate, which also accepts TLSv1."
        return
    version = certificate.get("minimumProtocolVersion")
    if version not in config["allowedVersions"]:
        yield f"`viewerCertificate.minimumProtocolVersion` is {version!r}; expected {config['allowedVersions']}."
    if certificate.get("sslSupportMethod") != "sni-only":
        yield f"`viewerCertificate.sslSupportMethod` is {certificate.get('sslSupportMethod')!r}; expected 'sni-only'."


POLICY = resource_policy(__name__, META, ["aws:cloudfront/distribution:Distribution"], check)
