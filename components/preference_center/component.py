"""PreferenceCenter: the page, API and sync that let people choose what they receive, on which channel.

Successor of the Amazon Pinpoint Preference Center. Defaults: on-demand DynamoDB tables encrypted with the stack
key, with PITR (deletion-protected in prod); a signing key generated and rotated only by Lambda; SES contact-list
topics defaulting to OPT_OUT; the page and `/api` on one CloudFront origin with security headers and WAF (rate
limit per IP, AWS common and known-bad-inputs rules), the API answering only requests carrying CloudFront's
rotating origin proof; API stage throttled to 100 burst / 50 rps; the API function unreserved (512 MB, 10 s);
stream sync with bisection, 5 retries and a failure queue; double opt-in with an address registry; with the
events database's two-way SMS topic, STOP/START replies applied to the number's owner; opt-outs made on SES's
own subscription page applied to the address's owner (SES Subscription events from the default bus).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi

from preference_center.config import ConfigError as CenterConfigError
from preference_center.config import load_config

from .. import iam
from ..config import ConfigError, PreferenceCenterSettings
from ..foundation import Foundation
from ..lambda_function import PackagedFunction, PackagedFunctionArgs
from . import alarms, api, edge, headers, messaging, ses_subscriptions, signing, site, sms_keywords, sync, tables

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SITE_DIRECTORY = PROJECT_ROOT / "web" / "preference_center"
CONFIG_KEY = "engagement:preferenceCenterConfigFile"


def load_center_config(settings: PreferenceCenterSettings) -> dict[str, Any]:
    """The validated configuration document, or a ConfigError naming the stack config key and the fix."""
    path = Path(settings.config_file)
    path = path if path.is_absolute() else PROJECT_ROOT / path
    try:
        document = load_config(path)
    except CenterConfigError as error:
        raise ConfigError(f"config key '{CONFIG_KEY}' points at an invalid preference-center configuration: "
                          f"{error}\nFix: correct the file, or `pulumi config set {CONFIG_KEY} <path>`") from None
    if document["link_ttl_days"] > settings.max_link_ttl_days:
        raise ConfigError(
            f"config key '{CONFIG_KEY}': link_ttl_days {document['link_ttl_days']} in {path.name} exceeds "
            f"'engagement:preferenceCenterMaxLinkTtlDays' ({settings.max_link_ttl_days}). Fix: lower link_ttl_days "
            f"or raise engagement:preferenceCenterMaxLinkTtlDays")
    return document


@dataclass
class PreferenceCenterArgs:
    settings: PreferenceCenterSettings
    foundation: Foundation
    log_retention_days: int
    log_level: str = "INFO"
    protect: bool = False
    """Protect stateful resources (tables, secret, page bucket and key) and enable deletion protection."""
    document: dict[str, Any] | None = None
    """The configuration document already loaded with `load_center_config` (None: the component loads it)."""
    events_stream: tuple[pulumi.Input[str], pulumi.Input[str]] | None = None
    """(name, ARN) of the events database's Firehose stream; None = no preference events are emitted."""
    inbound_sms_topic_arn: pulumi.Input[str] | None = None
    """The events database's two-way SMS topic: STOP/START replies from owned numbers update preferences
    (None = replies are not applied here)."""
    ses_subscriptions_published: bool = False
    """Whether configuration sets outside this component (the events database's) already publish SES Subscription
    events to the default bus; with it false and no `preferenceCenterSesConfigurationSets`, only the sync's guard
    keeps SES-page opt-outs (a warning says so)."""
    site_directory: Path = SITE_DIRECTORY
    """Static page files, uploaded as they are (default: web/preference_center/)."""
    api_reserved_concurrency: int | None = None
    """Caps the API function (None = unreserved: a new account's pool of 10 cannot reserve any). Default: from
    `preferenceCenterApiReservedConcurrency` (0 = none)."""
    api_settings: api.ApiSettings | None = None
    """Stage throttling and integration timeout; None = ApiSettings defaults with the stack's log retention."""
    sync_settings: sync.SyncSettings = field(default_factory=sync.SyncSettings)


class PreferenceCenter(pulumi.ComponentResource):
    page_url: pulumi.Output[str]
    api_url: pulumi.Output[str]
    distribution_id: pulumi.Output[str]
    contact_list_name: pulumi.Output[str]
    opt_out_list_name: pulumi.Output[str]
    config_table_name: pulumi.Output[str]
    preferences_table_name: pulumi.Output[str]
    consent_table_name: pulumi.Output[str]
    audience_table_name: pulumi.Output[str]
    signing_secret_arn: pulumi.Output[str]
    page_bucket_name: pulumi.Output[str]
    sync_function_name: pulumi.Output[str]
    """For `python -m tools.preference_reconcile --function` (replays and reconciles with its settings)."""
    sms_keyword_function_name: pulumi.Output[str] | None
    """For `python -m tools.preference_sms_replay --function`; None without an inbound SMS topic."""
    ses_subscription_function_name: pulumi.Output[str]
    """For `python -m tools.preference_ses_replay --function`."""

    def __init__(self, name: str, args: PreferenceCenterArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        # Loaded before registering anything, this component included, so a bad file leaves nothing behind.
        document = args.document if args.document is not None else load_center_config(args.settings)
        files = site.site_files(args.site_directory)
        super().__init__("engagement:preference_center:PreferenceCenter", name, None, opts)
        self.solution_tag = "preference-center"
        if not any(f.key == "index.html" for f in files):
            pulumi.log.warn(f"no index.html under {args.site_directory}: the page has nothing to serve", self)
        key = args.foundation.key
        base = f"{pulumi.get_project()}-{pulumi.get_stack()}-preferences"
        api_settings = args.api_settings or api.ApiSettings(log_retention_days=args.log_retention_days)

        store = tables.create_tables(name, key, args.protect, self)
        tables.create_config_item(name, store.config, document, self)
        edge_values, origin_verify = edge.create_origin_verify(name, self)
        signing_key = signing.create_signing_key(name, key, args.settings.key_rotation_days,
                                                 args.log_retention_days, args.log_level, args.protect,
                                                 edge_values, self)
        contact_list = messaging.contact_list(name, base, document, args.settings.existing_contact_list, self)
        opt_out_list = messaging.create_opt_out_list(name, base, self)
        sync_function = sync.create_sync(name, store, contact_list, opt_out_list, args.events_stream, key,
                                         args.log_retention_days, args.log_level, args.sync_settings, self)

        http_api = api.create_api(name, self, origin_domain=bool(args.settings.api_domain_name))
        page_key = site.create_page_key(name, args.protect, self)
        distribution_arn, resolve_distribution_arn = pulumi.deferred_output()
        bucket = site.create_page_bucket(name, page_key, args.foundation, distribution_arn, args.protect, self)
        site.upload(name, bucket, files, self)
        web_acl = edge.create_web_acl(name, args.settings.waf_rate_limit, self)
        edge.create_waf_logging(name, web_acl, key, args.log_retention_days, self)
        distribution = edge.create_distribution(name, edge.EdgeInputs(
            bucket_regional_domain_name=bucket.bucket.bucket_regional_domain_name,
            api_endpoint=(f"https://{args.settings.api_domain_name}" if args.settings.api_domain_name
                          else http_api.api_endpoint), headers_policy_id=headers.create_headers_policy(name, self).id,
            web_acl_arn=web_acl.arn,
            origin_verify_function_arn=origin_verify.arn, domain_name=args.settings.domain_name,
            certificate_arn=args.settings.certificate_arn),
            edge.create_origin_access_control(name, self), self)
        resolve_distribution_arn(distribution.arn)
        edge.create_access_logging(name, distribution, key, args.log_retention_days, self)
        origin = (pulumi.Output.from_input(f"https://{args.settings.domain_name}") if args.settings.domain_name
                  else pulumi.Output.concat("https://", distribution.domain_name))

        api_function = self._api_function(name, args, store, signing_key, origin, document)
        stage = api.connect_function(name, http_api, api_function, key, api_settings, self)
        self.api_origin_target: pulumi.Output[str] | None = None
        """The name to point `preferenceCenterApiDomainName`'s DNS record at (CNAME), when it is set."""
        if args.settings.api_domain_name:
            origin_domain = api.create_origin_domain(name, http_api, stage, args.settings.api_domain_name,
                                                     args.settings.api_certificate_arn, self)
            self.api_origin_target = origin_domain.domain_name_configuration.target_domain_name
        alarms.create_alarms(name, http_api.id, stage.name, sync_function, signing_key.rotation_function,
                             args.foundation.alarm_topic.arn, self)
        self.sms_keyword_function_name = None
        if args.inbound_sms_topic_arn is not None:
            keywords = sms_keywords.create_sms_keywords(name, store, document["id"], args.inbound_sms_topic_arn, key,
                                                        args.log_retention_days, args.log_level, self)
            alarms.create_sms_keyword_alarms(name, keywords, args.foundation.alarm_topic.arn, self)
            self.sms_keyword_function_name = keywords.name
        self.ses_subscription_function_name = self._ses_subscriptions(name, args, store, document["id"],
                                                                      contact_list.name)

        self.page_url = pulumi.Output.concat(origin, "/")
        self.api_url = pulumi.Output.concat(origin, api.PREFIX)
        self.distribution_id = distribution.id
        self.contact_list_name = contact_list.name
        self.opt_out_list_name = opt_out_list.name
        self.config_table_name = store.config.name
        self.preferences_table_name = store.preferences.name
        self.consent_table_name = store.consent.name
        self.audience_table_name = store.audience.name
        self.signing_secret_arn = signing_key.secret.arn
        self.page_bucket_name = bucket.name
        self.sync_function_name = sync_function.name
        self.register_outputs({
            "page_url": self.page_url, "api_url": self.api_url, "distribution_id": self.distribution_id,
            "contact_list_name": self.contact_list_name, "opt_out_list_name": self.opt_out_list_name,
            "config_table_name": self.config_table_name, "preferences_table_name": self.preferences_table_name,
            "consent_table_name": self.consent_table_name, "audience_table_name": self.audience_table_name,
            "signing_secret_arn": self.signing_secret_arn, "page_bucket_name": self.page_bucket_name,
            "sync_function_name": self.sync_function_name, "api_origin_target": self.api_origin_target,
            "sms_keyword_function_name": self.sms_keyword_function_name,
            "ses_subscription_function_name": self.ses_subscription_function_name})

    def _api_function(self, name: str, args: PreferenceCenterArgs, store: tables.Tables,
                      signing_key: signing.SigningKey, origin: pulumi.Output[str],
                      document: dict[str, Any]) -> PackagedFunction:
        environment: dict[str, pulumi.Input[str]] = {
            "CONFIG_TABLE": store.config.name, "PREFERENCES_TABLE": store.preferences.name,
            "CONSENT_TABLE": store.consent.name, "SIGNING_SECRET_ARN": signing_key.secret.arn,
            "ADDRESSES_TABLE": store.addresses.name, "PAGE_BASE_URL": origin,
            "MAX_LINK_TTL_DAYS": str(args.settings.max_link_ttl_days)}
        # Exactly the calls functions/preference_api makes. The consent log is append-only: PutItem (inside the
        # preferences transaction) and nothing else; TransactWriteItems is authorised per contained item.
        sender = document["confirmation"]["email_from"]
        identities = [pulumi.Output.concat("arn:aws:ses:", iam.region_name(), ":", iam.account_id(), ":identity/",
                                           identity) for identity in (sender, sender.split("@", 1)[1])]
        statements = [
            iam.allow(["dynamodb:GetItem"], [store.config.arn], sid="ReadConfiguration"),
            iam.allow(["dynamodb:GetItem", "dynamodb:PutItem"], [store.preferences.arn], sid="ReadWritePreferences"),
            iam.allow(["dynamodb:PutItem"], [store.consent.arn], sid="AppendConsentRecords"),
            iam.allow(["dynamodb:GetItem", "dynamodb:UpdateItem"], [store.addresses.arn], sid="AddressRegistry"),
            iam.allow(["secretsmanager:GetSecretValue"], [signing_key.secret.arn], sid="ReadSigningKeys"),
            iam.allow(["ses:SendEmail"], identities, sid="SendEmailConfirmations"),
        ]
        if args.settings.sms_origination_identity_arn:
            environment["SMS_ORIGINATION_IDENTITY"] = args.settings.sms_origination_identity_arn
            statements.append(iam.allow(["sms-voice:SendTextMessage"], [args.settings.sms_origination_identity_arn],
                                        sid="SendSmsConfirmations"))
        if args.events_stream is not None:
            stream_name, stream_arn = args.events_stream
            environment["EVENTS_STREAM_NAME"] = stream_name
            statements.append(iam.allow(["firehose:PutRecord"], [stream_arn], sid="EmitPreferenceEvents"))
        return PackagedFunction(f"{name}-api", PackagedFunctionArgs(
            source="preference_api", kms_key=args.foundation.key, log_retention_days=args.log_retention_days,
            log_level=args.log_level, description="Preference-center API (config, preferences, opt-in, unsubscribe)",
            environment=environment, statements=statements, timeout=10, memory_size=512,
            reserved_concurrency=self._reserved(args)), opts=pulumi.ResourceOptions(parent=self))

    def _ses_subscriptions(self, name: str, args: PreferenceCenterArgs, store: tables.Tables, center_id: str,
                           contact_list_name: pulumi.Output[str]) -> pulumi.Output[str]:
        sets = args.settings.ses_configuration_sets
        if not sets and not args.ses_subscriptions_published:
            pulumi.log.warn("no configuration set publishes SES Subscription events to EventBridge: opt-outs made on "
                            "SES's unsubscribe page are kept in SES by the sync but never reach the preference "
                            "center's records. Set engagement:preferenceCenterSesConfigurationSets to the sets your "
                            "mail is sent through, or enable the events database.", self)
        function = ses_subscriptions.create_ses_subscriptions(name, store, center_id, contact_list_name,
                                                              args.foundation.key, args.log_retention_days,
                                                              args.log_level, self)
        ses_subscriptions.create_publishers(name, sets, self)
        alarms.create_ses_subscription_alarms(name, function, args.foundation.alarm_topic.arn, self)
        return function.name

    @staticmethod
    def _reserved(args: PreferenceCenterArgs) -> int | None:
        if args.api_reserved_concurrency is not None:
            return args.api_reserved_concurrency
        return args.settings.api_reserved_concurrency or None
