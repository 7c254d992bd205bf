"""Origin proof at the edge, custom-domain TLS, logs without tokens, and resources that wait for their policies."""
from __future__ import annotations

import json

import pytest

from components.config import ConfigError, PreferenceCenterSettings
from components.preference_center import api, edge

DISTRIBUTION = "aws:cloudfront/distribution:Distribution"
CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"


def statements(recording, function_name: str) -> dict[str, dict]:
    policy = recording.by_name(f"{function_name}-policy")
    return {s.get("Sid"): s for s in json.loads(policy.inputs["policy"])["Statement"]}


def test_every_api_request_gets_the_origin_proof_from_the_rotated_store(dev_recording):
    dev = dev_recording
    [distribution] = dev.by_type(DISTRIBUTION)
    [api_behavior] = distribution.inputs["orderedCacheBehaviors"]
    [function] = dev.by_type("aws:cloudfront/function:Function")
    [store] = dev.by_type("aws:cloudfront/keyValueStore:KeyValueStore")
    assert api_behavior["functionAssociations"] == [{"eventType": "viewer-request",
                                                      "functionArn": function.state["arn"]}]
    assert function.inputs["keyValueStoreAssociations"] == [store.state["arn"]]
    assert function.inputs["runtime"] == "cloudfront-js-2.0" and function.inputs["publish"] is True
    assert f"kvs.get('{edge.ORIGIN_KEY}')" in function.inputs["code"]
    assert "x-origin-verify" in function.inputs["code"]
    # The rotation writes that store, and may write nothing else there.
    rotation = dev.by_name("preferences-key-rotation")
    assert rotation.inputs["environment"]["variables"]["KVS_ARN"] == store.state["arn"]
    assert statements(dev, "preferences-key-rotation")["PublishOriginProof"]["Resource"] == [store.state["arn"]]
    from functions.signing_key_rotation.handler import ORIGIN_KEY
    assert ORIGIN_KEY == edge.ORIGIN_KEY


def test_custom_domain_gets_its_certificate_sni_only_tls12_and_is_the_link_base(record):
    recording = record("dev", {"engagement:preferenceCenterDomainName": "prefs.example.com",
                               "engagement:preferenceCenterCertificateArn": CERTIFICATE})
    [distribution] = recording.by_type(DISTRIBUTION)
    assert distribution.inputs["aliases"] == ["prefs.example.com"]
    assert distribution.inputs["viewerCertificate"] == {
        "acmCertificateArn": CERTIFICATE, "sslSupportMethod": "sni-only", "minimumProtocolVersion": "TLSv1.2_2021"}
    env = recording.by_name("preferences-api").inputs["environment"]["variables"]
    assert env["PAGE_BASE_URL"] == "https://prefs.example.com"
    assert recording.exports["preferencePageUrl"] == "https://prefs.example.com/"


def test_access_logs_hold_no_query_string_and_no_misleading_ip(dev_recording):
    [delivery] = dev_recording.by_type("aws:cloudwatch/logDelivery:LogDelivery")
    assert "cs-uri-query" not in delivery.inputs["recordFields"] and "c-ip" in delivery.inputs["recordFields"]
    assert "cs(Cookie)" not in delivery.inputs["recordFields"]
    record_format = json.loads(api.ACCESS_LOG_FORMAT)
    assert "ip" not in record_format and record_format["edgeIp"] == "$context.identity.sourceIp"
    assert not any("query" in value.lower() or "path" in value.lower() for value in record_format.values())


def depends_on(recording, dependent: str, dependency_urn: str) -> bool:
    return dependency_urn in recording.by_name(dependent).dependencies


@pytest.mark.parametrize("function", ["preferences-api", "preferences-sync", "preferences-key-rotation",
                                      "events-transform"])
def test_every_function_waits_for_its_role_policy(dev_recording, function):
    policy = dev_recording.by_name(f"{function}-policy")
    assert depends_on(dev_recording, function, policy.urn)


def test_resources_checked_at_creation_wait_for_the_policies_they_need(dev_recording):
    dev = dev_recording
    [mapping] = [m for m in dev.by_type("aws:lambda/eventSourceMapping:EventSourceMapping")
                 if m.name.startswith("preferences-")]
    assert dev.by_name("preferences-sync-policy").urn in mapping.dependencies
    [rotation] = dev.by_type("aws:secretsmanager/secretRotation:SecretRotation")
    assert dev.by_name("preferences-key-rotation-policy").urn in rotation.dependencies
    [delivery] = dev.by_type("aws:cloudwatch/logDelivery:LogDelivery")
    log_policy = dev.by_name("preferences-cdn-log-policy")
    assert log_policy.urn in delivery.dependencies
    assert dev.by_name("preferences-waf-log-policy").urn in dev.by_name("preferences-waf-logging").dependencies
    [grant] = json.loads(log_policy.inputs["policyDocument"])["Statement"]
    assert grant["Principal"] == {"Service": "delivery.logs.amazonaws.com"}
    assert grant["Resource"] == [dev.by_name("preferences-cdn-logs").state["arn"] + ":*"]
    assert grant["Condition"]["ArnLike"]["aws:SourceArn"] == dev.by_type(
        "aws:cloudwatch/logDeliverySource:LogDeliverySource")[0].state["arn"]


def test_sync_is_not_granted_list_streams(dev_recording):
    granted = statements(dev_recording, "preferences-sync")
    assert "dynamodb:ListStreams" not in json.dumps(granted)


def test_api_may_send_confirmations_only_from_the_configured_sender(dev_recording, record):
    granted = statements(dev_recording, "preferences-api")
    assert granted["SendEmailConfirmations"]["Action"] == ["ses:SendEmail"]
    assert [r.rsplit(":", 1)[1] for r in granted["SendEmailConfirmations"]["Resource"]] == [
        "identity/preferences@example.com", "identity/example.com"]
    assert "SendSmsConfirmations" not in granted
    sms = "arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef"
    recording = record("dev", {"engagement:preferenceCenterSmsOriginationIdentityArn": sms})
    assert statements(recording, "preferences-api")["SendSmsConfirmations"]["Resource"] == [sms]
    assert recording.by_name("preferences-api").inputs["environment"]["variables"]["SMS_ORIGINATION_IDENTITY"] == sms


def test_an_existing_contact_list_is_adopted_not_created(record):
    recording = record("dev", {"engagement:preferenceCenterExistingContactListName": "company-list"})
    assert recording.by_type("aws:sesv2/contactList:ContactList") == []
    assert recording.by_name("preferences-sync").inputs["environment"]["variables"]["CONTACT_LIST_NAME"] == \
        "company-list"
    [resource] = statements(recording, "preferences-sync")["SyncEmailContacts"]["Resource"]
    assert resource.endswith(":contact-list/company-list")


def test_reserved_concurrency_is_set_only_when_configured(record):
    recording = record("dev", {"engagement:preferenceCenterApiReservedConcurrency": "5"})
    assert recording.by_name("preferences-api").inputs["reservedConcurrentExecutions"] == 5


@pytest.mark.parametrize(("raw", "key"), [
    ({"preferenceCenterMaxLinkTtlDays": 90, "preferenceCenterKeyRotationDays": 1}, "preferenceCenterMaxLinkTtlDays"),
    ({"preferenceCenterDomainName": "prefs.example.com"}, "preferenceCenterCertificateArn"),
    ({"preferenceCenterCertificateArn": CERTIFICATE}, "preferenceCenterDomainName"),
])
def test_impossible_settings_are_refused_naming_the_key(raw, key):
    with pytest.raises(ConfigError, match=f"engagement:{key}"):
        PreferenceCenterSettings.model_validate(raw)


def test_a_certificate_outside_us_east_1_is_refused():
    from components.config import load_stack_config

    with pytest.raises(ConfigError, match="preferenceCenterCertificateArn"):
        load_stack_config({"engagement:preferenceCenterDomainName": "prefs.example.com",
                           "engagement:preferenceCenterCertificateArn": CERTIFICATE.replace("us-east-1", "eu-west-1")})


def test_more_than_twenty_email_publications_are_refused_before_any_resource(tmp_path, sample_document):
    from preference_center.config import ConfigError as CenterError, validate_config

    document = sample_document
    publications = [{"id": f"p{i}", "channels": ["EMAIL"]} for i in range(21)]
    document["categories"] = [{"id": "many", "publications": publications}]
    for texts in document["text"].values():
        texts["labels"] = {k: v for k, v in texts["labels"].items() if not k.startswith(("category.", "publication."))}
        texts["labels"].update({"category.many": "Many", **{f"publication.p{i}": f"P{i}" for i in range(21)}})
    with pytest.raises(CenterError, match="at most 20 topics"):
        validate_config(document)


@pytest.fixture
def sample_document():
    from tools import preference_seed

    return preference_seed.load_sample()




def test_with_an_api_origin_domain_no_request_can_skip_cloudfront(prod_recording):
    # Given prod's config: the API's origin is a regional custom domain
    prod = prod_recording
    http_api = prod.by_name("preferences-http-api")
    domain = prod.by_name("preferences-api-domain")
    mapping = prod.by_name("preferences-api-mapping")
    # Then the default execute-api endpoint is disabled: the custom domain is the only way in
    assert http_api.inputs["disableExecuteApiEndpoint"] is True
    assert domain.inputs["domainName"] == "api-origin.preferences.example.com"
    assert domain.inputs["domainNameConfiguration"] == {
        "certificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9",
        "endpointType": "REGIONAL", "securityPolicy": "TLS_1_2"}
    assert mapping.inputs["apiId"] == http_api.id and mapping.inputs["domainName"] == domain.inputs["domainName"]
    assert mapping.inputs["stage"] == prod.by_name("preferences-api-stage").inputs["name"]
    # And CloudFront (with WAF) reaches the API through that domain, over HTTPS only
    [distribution] = prod.by_type(DISTRIBUTION)
    api_origin = next(o for o in distribution.inputs["origins"] if o["originId"] == edge.API_ORIGIN)
    assert api_origin["domainName"] == "api-origin.preferences.example.com"
    assert api_origin["customOriginConfig"]["originProtocolPolicy"] == "https-only"
    assert distribution.inputs["webAclId"]
    assert "preferenceApiOriginTarget" in prod.exports


def test_without_an_api_origin_domain_the_pack_says_execute_api_stays_open(dev_recording, repo_root):
    # The default-domain mode cannot disable execute-api (CloudFront needs an origin): the origin proof answers
    # 403 there, and the pack still reports the open endpoint (advisory in dev), never hides it.
    from tools.harness.policy_runner import load_pack, load_policy_config, run_pack

    assert dev_recording.by_name("preferences-http-api").inputs.get("disableExecuteApiEndpoint") in (False, None)
    report = run_pack(load_pack(repo_root / "policy"), dev_recording,
                      load_policy_config(repo_root / "policy" / "config" / "dev.json"))
    open_endpoint = [f for f in report.findings if f.policy == "aws-apigatewayv2-api-disable-execute-api-endpoint"]
    assert [(f.resource_name, f.level) for f in open_endpoint] == [("preferences-http-api", "advisory")]


@pytest.mark.parametrize(("values", "key", "fragment"), [
    ({"api_domain_name": "api-origin.example.com"}, "preferenceCenterApiCertificateArn", "needs both"),
    ({"api_domain_name": "prefs.example.com", "api_certificate_arn": CERTIFICATE, "domain_name": "prefs.example.com",
      "certificate_arn": CERTIFICATE}, "preferenceCenterApiDomainName", "cannot also be the API's origin"),
])
def test_api_origin_domain_settings_are_checked_before_any_resource(values, key, fragment):
    aliases = {name: PreferenceCenterSettings.model_fields[name].alias for name in values}
    with pytest.raises(ConfigError, match=fragment) as error:
        PreferenceCenterSettings.model_validate({aliases[k]: v for k, v in values.items()})
    assert key in str(error.value)


def test_api_certificate_must_be_in_the_stacks_region():
    from components.config import load_stack_config

    with pytest.raises(ConfigError, match="needs its certificate in the stack's Region") as error:
        load_stack_config({"aws:region": "eu-west-1", "engagement:preferenceCenterApiDomainName": "api.example.com",
                           "engagement:preferenceCenterApiCertificateArn": CERTIFICATE})
    assert "preferenceCenterApiCertificateArn" in str(error.value)


def test_waf_logs_every_inspected_request_without_tokens(dev_recording):
    logging = dev_recording.by_name("preferences-waf-logging")
    logs = dev_recording.by_name("preferences-waf-logs")
    assert logging.inputs["resourceArn"] == dev_recording.by_name("preferences-waf").state["arn"]
    assert logging.inputs["logDestinationConfigs"] == [logs.state["arn"]]
    assert logs.inputs["name"].startswith("aws-waf-logs-")  # the only log groups WAF delivers to
    assert logs.inputs["retentionInDays"] == 14 and logs.inputs["kmsKeyId"]
    # One-click URLs carry a token in the query, API calls in Authorization: neither reaches the log.
    assert {"queryString": {}} in logging.inputs["redactedFields"]
    assert {"singleHeader": {"name": "authorization"}} in logging.inputs["redactedFields"]
