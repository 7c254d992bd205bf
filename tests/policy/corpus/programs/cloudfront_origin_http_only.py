"""EXPECTED: aws-cloudfront-distribution-enforce-https-origin. CLASS: 4. Viewers get HTTPS and WAF; the hop from
CloudFront to the custom origin is plain HTTP."""
import baseline as b

kms = b.key()
b.distribution("site", "origin.example.com", b.web_acl(kms), kms,
               origin={**b.HTTPS_ORIGIN, "origin_protocol_policy": "http-only"})
