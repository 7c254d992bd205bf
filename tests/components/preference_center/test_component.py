"""PreferenceCenter under Pulumi mocks: the resources, their security properties, parents and outputs."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pulumi
import pytest

from components.preference_center import api, edge, site
from preference_center.security_headers import PAGE_HEADERS
from tools.harness import recorder

REPO_ROOT = Path(__file__).resolve().parents[3]
COMPONENT = "engagement:preference_center:PreferenceCenter"
DISTRIBUTION = "aws:cloudfront/distribution:Distribution"
TABLE = "aws:dynamodb/table:Table"


def record(stack: str, **overrides: str) -> recorder.Recording:
    return recorder.record_stack(stack, overrides)


@pytest.fixture(scope="module")
def dev(dev_recording) -> recorder.Recording:
    return dev_recording


@pytest.fixture(scope="module")
def prod(prod_recording) -> recorder.Recording:
    return prod_recording


def component(recording: recorder.Recording) -> recorder.Registration:
    [center] = recording.by_type(COMPONENT)
    return center


def ours(recording: recorder.Recording, type_token: str) -> list[recorder.Registration]:
    inside = {r.urn for r in recording.descendants(component(recording).urn)}
    return [r for r in recording.by_type(type_token) if r.urn in inside]


def policy_document(registration: recorder.Registration) -> dict:
    return json.loads(registration.inputs["policy"])


# --- page hosting ---------------------------------------------------------------------------------------------

def test_s3_origin_is_signed_by_origin_access_control(dev):
    [distribution] = dev.by_type(DISTRIBUTION)
    [oac] = dev.by_type("aws:cloudfront/originAccessControl:OriginAccessControl")
    origins = {o["originId"]: o for o in distribution.inputs["origins"]}
    assert origins[edge.PAGE_ORIGIN]["originAccessControlId"] == oac.id
    assert origins[edge.PAGE_ORIGIN]["domainName"].endswith(".s3.us-east-1.amazonaws.com")
    assert (oac.inputs["signingBehavior"], oac.inputs["signingProtocol"],
            oac.inputs["originAccessControlOriginType"]) == ("always", "sigv4", "s3")
    api_origin = origins[edge.API_ORIGIN]
    assert api_origin["domainName"].endswith(".execute-api.us-east-1.amazonaws.com")
    assert api_origin["customOriginConfig"]["originProtocolPolicy"] == "https-only"
    assert api_origin["customOriginConfig"]["originSslProtocols"] == ["TLSv1.2"]


def test_distribution_serves_page_and_api_over_tls_with_managed_policies(dev):
    [distribution] = dev.by_type(DISTRIBUTION)
    inputs = distribution.inputs
    default, [api_behavior] = inputs["defaultCacheBehavior"], inputs["orderedCacheBehaviors"]
    assert (default["viewerProtocolPolicy"], default["compress"], default["cachePolicyId"]) == (
        "redirect-to-https", True, edge.CACHING_OPTIMIZED)
    assert api_behavior["pathPattern"] == "/api/*" and api_behavior["targetOriginId"] == edge.API_ORIGIN
    assert api_behavior["cachePolicyId"] == edge.CACHING_DISABLED
    assert api_behavior["originRequestPolicyId"] == edge.ALL_VIEWER_EXCEPT_HOST_HEADER
    assert set(api_behavior["allowedMethods"]) == {"GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"}
    # The default certificate: CloudFront's TLSv1 policy applies, so no minimum is claimed (README says so).
    assert inputs["viewerCertificate"] == {"cloudfrontDefaultCertificate": True}
    assert (inputs["defaultRootObject"], inputs["httpVersion"], inputs["priceClass"]) == (
        "index.html", "http2and3", "PriceClass_100")


def test_response_headers_policy_sends_exactly_the_page_headers_on_both_behaviors(dev):
    [policy] = dev.by_type("aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy")
    security = policy.inputs["securityHeadersConfig"]
    hsts = security["strictTransportSecurity"]
    sent = {
        "Content-Security-Policy": security["contentSecurityPolicy"]["contentSecurityPolicy"],
        "Strict-Transport-Security": "; ".join(
            [f"max-age={int(hsts['accessControlMaxAgeSec'])}"] + ["includeSubDomains"] * hsts["includeSubdomains"]
            + ["preload"] * hsts["preload"]),
        "X-Content-Type-Options": "nosniff" if security["contentTypeOptions"]["override"] else "?",
        "X-Frame-Options": security["frameOptions"]["frameOption"],
        "Referrer-Policy": security["referrerPolicy"]["referrerPolicy"],
        **{h["header"]: h["value"] for h in policy.inputs["customHeadersConfig"]["items"]},
    }
    assert sent == PAGE_HEADERS
    [distribution] = dev.by_type(DISTRIBUTION)
    behaviors = [distribution.inputs["defaultCacheBehavior"], *distribution.inputs["orderedCacheBehaviors"]]
    assert [b["responseHeadersPolicyId"] for b in behaviors] == [policy.id, policy.id]


@pytest.mark.parametrize(("stack", "limit"), [("dev", 300), ("prod", 500)])
def test_waf_blocks_per_ip_above_the_configured_rate_and_guards_the_distribution(stack, limit, dev, prod):
    recording = {"dev": dev, "prod": prod}[stack]
    [acl] = recording.by_type("aws:wafv2/webAcl:WebAcl")
    assert (acl.inputs["scope"], acl.inputs["region"]) == ("CLOUDFRONT", "us-east-1")
    rules = {rule["name"]: rule for rule in acl.inputs["rules"]}
    rate = rules["rate-limit-per-ip"]
    assert rate["statement"]["rateBasedStatement"]["limit"] == limit
    assert rate["statement"]["rateBasedStatement"]["aggregateKeyType"] == "IP"
    assert "block" in rate["action"]
    assert set(rules) >= set(edge.MANAGED_RULE_GROUPS)
    assert all(rule["visibilityConfig"]["cloudwatchMetricsEnabled"] for rule in acl.inputs["rules"])
    [distribution] = recording.by_type(DISTRIBUTION)
    assert distribution.inputs["webAclId"] == acl.state["arn"]


def test_no_bucket_of_the_component_can_be_public(dev):
    blocks = ours(dev, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
    assert blocks
    for block in blocks:
        assert all(block.inputs[k] is True for k in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls",
                                                      "restrictPublicBuckets"))


def test_page_bucket_policy_lets_only_this_distribution_read(dev):
    [distribution] = dev.by_type(DISTRIBUTION)
    [bucket_policy] = ours(dev, "aws:s3/bucketPolicy:BucketPolicy")
    [read] = [s for s in policy_document(bucket_policy)["Statement"] if s["Effect"] == "Allow"]
    assert read["Principal"] == {"Service": "cloudfront.amazonaws.com"} and read["Action"] == "s3:GetObject"
    assert read["Condition"] == {"StringEquals": {"AWS:SourceArn": distribution.state["arn"]}}
    assert read["Resource"].endswith("/*")
    assert distribution.urn in bucket_policy.property_dependencies["policy"]


def test_every_page_file_is_uploaded_with_its_type_and_caching(dev):
    inside = {r.urn for r in dev.descendants(component(dev).urn)}  # other solutions upload objects too
    objects = {o.inputs["key"]: o.inputs for o in dev.by_type("aws:s3/bucketObjectv2:BucketObjectv2")
               if o.urn in inside}
    expected = site.site_files(REPO_ROOT / "web" / "preference_center")
    assert set(objects) == {f.key for f in expected}
    for f in expected:
        assert objects[f.key]["contentType"] == f.content_type
        assert objects[f.key]["cacheControl"] == f.cache_control


def test_site_files_map_extensions_and_skip_hidden_files(tmp_path):
    for relative in ("index.html", "app.js", "img/logo.svg", ".DS_Store", "data.bin"):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("x")
    files = {f.key: (f.content_type, f.cache_control) for f in site.site_files(tmp_path)}
    assert files == {"app.js": ("text/javascript; charset=utf-8", site.ASSET_CACHE),
                     "data.bin": ("application/octet-stream", site.ASSET_CACHE),
                     "img/logo.svg": ("image/svg+xml", site.ASSET_CACHE),
                     "index.html": ("text/html; charset=utf-8", site.HTML_CACHE)}


def test_cloudfront_access_logs_go_to_an_encrypted_log_group(dev):
    [source] = dev.by_type("aws:cloudwatch/logDeliverySource:LogDeliverySource")
    [distribution] = dev.by_type(DISTRIBUTION)
    assert (source.inputs["logType"], source.inputs["resourceArn"]) == ("ACCESS_LOGS", distribution.state["arn"])
    logs = dev.by_name("preferences-cdn-logs")
    assert logs.inputs["kmsKeyId"].startswith("arn:aws:kms:us-east-1:") and logs.inputs["retentionInDays"] == 14


# --- data ----------------------------------------------------------------------------------------------------

def test_tables_are_encrypted_with_pitr_and_unprotected_in_dev(dev):
    tables = ours(dev, TABLE)
    assert len(tables) == 5
    key_arns = {k.state["arn"] for k in dev.by_type("aws:kms/key:Key") if k.name == "shared-data-key"}
    for table in tables:
        assert table.inputs["serverSideEncryption"]["enabled"] is True
        assert table.inputs["serverSideEncryption"]["kmsKeyArn"] in key_arns
        assert table.inputs["pointInTimeRecovery"]["enabled"] is True
        assert table.inputs["billingMode"] == "PAY_PER_REQUEST"
        assert table.inputs["deletionProtectionEnabled"] is False and table.protect is False


def test_prod_tables_are_deletion_protected_and_protected(prod):
    for table in ours(prod, TABLE):
        assert table.inputs["deletionProtectionEnabled"] is True and table.protect is True
    [secret] = prod.by_type("aws:secretsmanager/secret:Secret")
    assert secret.protect is True and secret.inputs["recoveryWindowInDays"] == 30


def test_table_keys_and_stream_match_the_handlers(dev):
    keys = {t.name: (t.inputs["hashKey"], t.inputs.get("rangeKey")) for t in ours(dev, TABLE)}
    assert keys == {"preferences-config": ("preference_center_id", None),
                    "preferences-preferences": ("user_id", "preference_center_id"),
                    "preferences-consent": ("subject", "recorded_at"),
                    "preferences-audience": ("audience", "user_id"),
                    "preferences-addresses": ("address_key", None)}
    preferences = dev.by_name("preferences-preferences")
    assert preferences.inputs["streamEnabled"] is True
    assert preferences.inputs["streamViewType"] == "NEW_AND_OLD_IMAGES"


def test_configuration_item_holds_the_validated_config_file(dev):
    [item] = dev.by_type("aws:dynamodb/tableItem:TableItem")
    stored = json.loads(item.inputs["item"])
    document = json.loads((REPO_ROOT / "preference_center" / "sample.json").read_text())
    assert stored["preference_center_id"] == {"S": document["id"]}
    assert json.loads(stored["config"]["S"]) == document
    assert int(stored["version"]["N"]) > 0


def test_contact_list_has_an_opt_out_topic_per_email_publication(dev):
    [contacts] = dev.by_type("aws:sesv2/contactList:ContactList")
    topics = {t["topicName"]: t for t in contacts.inputs["topics"]}
    assert set(topics) == {"runners-monthly", "shoe-collector", "weekly-specials", "new-arrivals"}
    assert {t["defaultSubscriptionStatus"] for t in topics.values()} == {"OPT_OUT"}
    assert topics["runners-monthly"]["displayName"] == "Runners Monthly"
    assert dev.by_type("aws:pinpoint/smsvoicev2OptOutList:Smsvoicev2OptOutList")


# --- API -----------------------------------------------------------------------------------------------------

def test_api_routes_are_exactly_the_handler_routes(dev):
    from functions.preference_api.handler import app

    def route_key(route) -> str:
        return f"{route.method} {api.PREFIX}" + re.sub(r"<(\w+)>", r"{\1}", route.path)

    handler_routes = {route_key(r) for r in app._static_routes + app._dynamic_routes}
    routes = {r.inputs["routeKey"] for r in dev.by_type("aws:apigatewayv2/route:Route")}
    assert routes == handler_routes == set(api.route_keys())
    [integration] = dev.by_type("aws:apigatewayv2/integration:Integration")
    assert (integration.inputs["integrationType"], integration.inputs["payloadFormatVersion"]) == ("AWS_PROXY", "2.0")


def test_stage_is_throttled_and_logs_json_access_records(dev):
    [stage] = dev.by_type("aws:apigatewayv2/stage:Stage")
    assert (stage.inputs["name"], stage.inputs["autoDeploy"]) == ("$default", True)
    settings = stage.inputs["defaultRouteSettings"]
    assert settings["throttlingBurstLimit"] > 0 and settings["throttlingRateLimit"] > 0
    record_format = json.loads(stage.inputs["accessLogSettings"]["format"])
    assert {"requestId", "edgeIp", "routeKey", "status", "latency"} <= set(record_format)
    logs = dev.by_name("preferences-api-access-logs")
    assert stage.inputs["accessLogSettings"]["destinationArn"].endswith(logs.inputs["name"])
    assert logs.inputs["kmsKeyId"] and logs.inputs["retentionInDays"] == 14


def test_service_invoke_permissions_are_scoped_to_the_caller(dev):
    permissions = {p.inputs["principal"]: p.inputs["sourceArn"] for p in ours(dev, "aws:lambda/permission:Permission")}
    [secret] = dev.by_type("aws:secretsmanager/secret:Secret")
    [http_api] = dev.by_type("aws:apigatewayv2/api:Api")
    topic = dev.by_name("events-inbound-sms")
    assert permissions == {"apigateway.amazonaws.com": f"{http_api.state['executionArn']}/*/*",
                           "secretsmanager.amazonaws.com": secret.state["arn"],
                           "sns.amazonaws.com": topic.state["arn"],
                           "events.amazonaws.com": dev.by_name("preferences-ses-subscriptions-rule").state["arn"]}


def statements(recording, function_name: str) -> dict[str, dict]:
    policy = recording.by_name(f"{function_name}-policy")
    return {s.get("Sid"): s for s in policy_document(policy)["Statement"]}


def test_api_role_appends_to_the_consent_log_and_reads_only_what_it_needs(dev):
    granted = statements(dev, "preferences-api")
    consent = dev.by_name("preferences-consent").state["arn"]
    assert granted["AppendConsentRecords"] == {"Effect": "Allow", "Action": ["dynamodb:PutItem"],
                                               "Resource": [consent], "Sid": "AppendConsentRecords"}
    assert granted["ReadSigningKeys"]["Action"] == ["secretsmanager:GetSecretValue"]
    stream = dev.by_name("events-stream")  # the trusted producers' stream, not the applications' one
    assert granted["EmitPreferenceEvents"]["Resource"] == [stream.state["arn"]]
    env = dev.by_name("preferences-api").inputs["environment"]["variables"]
    assert env["EVENTS_STREAM_NAME"] == stream.state["name"]
    assert re.fullmatch(r"https://[^/\s]+", env["PAGE_BASE_URL"])
    assert {"CONFIG_TABLE", "PREFERENCES_TABLE", "CONSENT_TABLE", "SIGNING_SECRET_ARN"} <= set(env)
    # Unreserved by default: a new account's concurrency pool of 10 cannot reserve any.
    assert "reservedConcurrentExecutions" not in dev.by_name("preferences-api").inputs


def test_sync_reads_the_stream_and_reports_failures_to_an_encrypted_queue(dev):
    mapping = dev.by_name("preferences-sync-stream")  # the stack has other mappings (predictive engagement)
    preferences = dev.by_name("preferences-preferences")
    queue = dev.by_name("preferences-sync-dlq")
    assert mapping.inputs["eventSourceArn"] == preferences.state["streamArn"]
    assert mapping.inputs["functionResponseTypes"] == ["ReportBatchItemFailures"]
    assert mapping.inputs["bisectBatchOnFunctionError"] is True and mapping.inputs["startingPosition"] == "LATEST"
    assert mapping.inputs["destinationConfig"]["onFailure"]["destinationArn"] == queue.state["arn"]
    assert queue.inputs["kmsMasterKeyId"]
    granted = statements(dev, "preferences-sync")
    assert granted["ReadPreferencesStream"]["Resource"] == [preferences.state["streamArn"]]
    assert granted["OwnDeadLetterQueue"]["Resource"] == [queue.state["arn"]]


def test_without_an_events_database_no_event_stream_is_wired():
    recording = record("dev", **{"engagement:eventsDatabaseEnabled": "false",
                                 "engagement:predictiveEngagementEnabled": "false",
                                 "engagement:predictiveSegmentationEnabled": "false"})  # they need the events db
    for function in ("preferences-api", "preferences-sync"):
        assert "EVENTS_STREAM_NAME" not in recording.by_name(function).inputs["environment"]["variables"]
        assert "EmitPreferenceEvents" not in statements(recording, function)


# --- signing key and outputs ---------------------------------------------------------------------------------

def test_signing_key_is_generated_by_rotation_never_by_pulumi(dev):
    assert dev.by_type("aws:secretsmanager/secretVersion:SecretVersion") == []
    [rotation] = dev.by_type("aws:secretsmanager/secretRotation:SecretRotation")
    assert rotation.inputs["rotateImmediately"] is True
    assert rotation.inputs["rotationRules"]["automaticallyAfterDays"] == 90
    assert rotation.inputs["rotationLambdaArn"] == dev.by_name("preferences-key-rotation").state["arn"]
    granted = statements(dev, "preferences-key-rotation")["RotateOwnSecret"]
    [secret] = dev.by_type("aws:secretsmanager/secret:Secret")
    assert granted["Resource"] == [secret.state["arn"]]
    assert not any("secretString" in r.inputs or "secretBinary" in r.inputs for r in dev.registrations)


def test_exports_hold_urls_and_names_but_no_secret(dev):
    exports = dev.exports
    domain = dev.by_type(DISTRIBUTION)[0].state["domainName"]
    assert exports["preferencePageUrl"] == f"https://{domain}/"
    assert exports["preferenceApiUrl"] == f"https://{domain}/api"
    assert exports["preferenceSigningSecretArn"].startswith("arn:aws:secretsmanager:")
    for key in ("preferenceContactList", "preferenceOptOutList", "preferenceConfigTable", "preferencesTable",
                "preferenceConsentTable", "preferenceAudienceTable"):
        assert exports[key]
    # A signing key is a JSON document with a base64 "key"; nothing exported looks like one.
    assert not any('"key"' in str(value) or "kid" in str(value) for value in exports.values())


def test_every_resource_of_the_solution_is_parented_under_the_component(dev):
    center = component(dev)
    stack_children = {r.type for r in dev.children(center.parent)}
    assert stack_children <= {COMPONENT, "engagement:shared:Foundation", "engagement:events:EventsDatabase",
                              "engagement:shared:ProfileStore", "engagement:predictive:PredictiveEngagement",
                              "engagement:segmentation:PredictiveSegmentation", "pulumi:providers:aws"}
    inside = {r.urn for r in dev.descendants(center.urn)}
    assert len(inside) > 60
    assert all(r.urn in inside for r in dev.registrations if r.name.startswith("preferences") and r != center)
    assert all(r.name.startswith("preferences") for r in dev.children(center.urn))


# --- configuration errors --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("content", "expected"), [("{ not json", "not valid JSON"),
                                                  ('{"id": "x"}', "add the missing key")])
def test_bad_config_file_stops_before_any_resource_is_registered(tmp_path, monkeypatch, content, expected):
    broken = tmp_path / "broken.json"
    broken.write_text(content)
    registered = []
    original = recorder.RecordingMonitor.RegisterResource

    def counting(self, request):
        if request.type != recorder.STACK_TYPE:  # the root stack is the runtime's, not the program's
            registered.append(request.name)
        return original(self, request)

    monkeypatch.setattr(recorder.RecordingMonitor, "RegisterResource", counting)
    with pytest.raises(pulumi.RunError) as raised:
        record("dev", **{"engagement:preferenceCenterConfigFile": str(broken)})
    assert "engagement:preferenceCenterConfigFile" in str(raised.value)
    assert expected in str(raised.value)
    assert registered == []
