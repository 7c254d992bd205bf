"""The words of the events contract: sources, channels, event types, partition kinds, SMS keywords, and which
producer feeds which analyst view.

Event types are lower_snake. SES types keep SES's meaning (`send`, `bounce`, ...); End User Messaging types are
its own names lower-cased (`text_delivered`, `voice_completed`, ...); two-way SMS replies are `text_inbound`;
the preference center's are `preference_center.<action>`; imported Pinpoint-era rows map onto these, except
Pinpoint's own campaign/journey events (`campaign.send`, `journey.send`). Custom app events bring their own
types. Every known type is also a value of the `kind` partition, so one-type queries read one type's files;
app-defined types share `kind=other`.
"""
from __future__ import annotations

SOURCE_SES = "ses"
SOURCE_SMS_VOICE = "sms_voice"
SOURCE_APP = "app"
SOURCE_PREFERENCE_CENTER = "preference_center"
SOURCE_PINPOINT_LEGACY = "pinpoint_legacy"
EVENT_SOURCES = (SOURCE_SES, SOURCE_SMS_VOICE, SOURCE_APP, SOURCE_PREFERENCE_CENTER, SOURCE_PINPOINT_LEGACY)

CHANNELS = ("email", "sms", "voice", "custom")

# SES eventType (or notificationType) -> canonical event_type
SES_EVENT_TYPES = {"Send": "send", "Delivery": "delivery", "Bounce": "bounce", "Complaint": "complaint",
                   "Reject": "reject", "Open": "open", "Click": "click", "Rendering Failure": "rendering_failure",
                   "DeliveryDelay": "delivery_delay", "Subscription": "subscription"}
EMAIL_TYPES = tuple(SES_EVENT_TYPES.values())

# End User Messaging SMS/MMS outcomes (API EventType enum; MEDIA_* are the MMS twins).
_MESSAGE_OUTCOMES = ("pending", "queued", "sent", "successful", "delivered", "invalid", "invalid_message",
                     "unreachable", "carrier_unreachable", "blocked", "carrier_blocked", "spam", "unknown",
                     "ttl_expired", "protect_blocked", "failed")
TEXT_TYPES = tuple(f"text_{o}" for o in _MESSAGE_OUTCOMES)
MEDIA_TYPES = tuple(f"media_{o}" for o in _MESSAGE_OUTCOMES) + (
    "media_file_inaccessible", "media_file_type_unsupported", "media_file_size_exceeded")
VOICE_TYPES = tuple(f"voice_{o}" for o in ("initiated", "ringing", "answered", "completed", "busy", "no_answer",
                                           "failed", "ttl_expired", "unknown"))
# Not final yet, or final success (TEXT_SUCCESSFUL and TEXT_DELIVERED are interchangeable by destination country:
# the `is_final` column tells a carrier's acceptance from the final outcome).
SMS_PROGRESS_TYPES = ("text_pending", "text_queued", "text_sent", "media_pending", "media_queued", "media_sent")
SMS_SUCCESS_TYPES = ("text_successful", "text_delivered", "media_successful", "media_delivered")
SMS_FAILURE_TYPES = tuple(t for t in TEXT_TYPES + MEDIA_TYPES
                          if t not in SMS_PROGRESS_TYPES + SMS_SUCCESS_TYPES)
SMS_INBOUND = "text_inbound"
SMS_LEGACY_OPT_OUT = "text_opted_out"  # Pinpoint's _SMS.OPTOUT (the recipient replied with an opt-out keyword)

PREFERENCE_PREFIX = "preference_center."
# Page actions concern no channel (channel custom, no address).
PREFERENCE_PAGE_ACTIONS = ("open", "read")
# Channel actions: one event per affected channel (email or sms), carrying that channel's address, each naming
# the publications it concerns. With double opt-in (confirmed addresses only are ever messaged):
#   optin_request  an address awaits confirmation (an opt-in, a new address, or re-subscribing after an opt-out)
#   optin          its owner confirmed it (a confirmation link, or START from the number): publications start
#   subscribe      more publications on an address already confirmed
#   unsubscribe    fewer publications (page, one-click link, STOP reply, removing the address)
#   update         the channel's confirmed address changed; its publications moved to the new one
#   detach         another record's owner confirmed the address: this record lost it (one owner per address)
PREFERENCE_CHANNEL_ACTIONS = ("optin_request", "optin", "subscribe", "unsubscribe", "update", "detach")
PREFERENCE_TYPES = tuple(PREFERENCE_PREFIX + a for a in PREFERENCE_PAGE_ACTIONS + PREFERENCE_CHANNEL_ACTIONS)
# The `status` column of each channel action (page actions have none).
PREFERENCE_STATUS = {PREFERENCE_PREFIX + action: status for action, status in (
    ("optin_request", "pending"), ("optin", "subscribed"), ("subscribe", "subscribed"),
    ("unsubscribe", "unsubscribed"), ("update", "updated"), ("detach", "detached"))}
# Where a preference change came from (attribute `source`); `sms_keyword` is a STOP/START reply the preference
# center applied, which sms_optout already counts once as the inbound message itself; `ses_subscription` is an
# opt-out made on SES's own subscription management (its Subscription event), which email_unsubscribe already
# counts once as that SES event.
PREFERENCE_SOURCES = ("page", "one_click", "optin", "confirmation", "detached", "sms_keyword", "ses_subscription",
                      "api", "import")

LEGACY_PINPOINT_TYPES = ("campaign.send", "journey.send")

KIND_OTHER = "other"
KINDS = EMAIL_TYPES + TEXT_TYPES + MEDIA_TYPES + VOICE_TYPES + (SMS_INBOUND, SMS_LEGACY_OPT_OUT) + \
    PREFERENCE_TYPES + LEGACY_PINPOINT_TYPES + (KIND_OTHER,)
_KNOWN_KINDS = frozenset(KINDS)


def partition_kind(event_type: str) -> str:
    """The `kind` partition of an event type: the type itself when the contract knows it, else `other`."""
    return event_type if event_type in _KNOWN_KINDS else KIND_OTHER


# Opt-out keywords End User Messaging honours by default ("Required opt-out keywords", AWS End User Messaging
# SMS user guide); phone numbers and pools can add their own. Opt-in: the keywords that undo an opt-out.
OPT_OUT_KEYWORDS = frozenset({"ARRET", "CANCEL", "END", "OPT-OUT", "OPTOUT", "OPT OUT", "QUIT", "REMOVE", "STOP",
                              "TD", "UNSUBSCRIBE"})
OPT_IN_KEYWORDS = frozenset({"START", "UNSTOP"})


def inbound_keyword(message_body: str | None, registered_keyword: str | None) -> tuple[str | None, str]:
    """(keyword, status) of a two-way SMS reply: the keyword is the whole reply or its first word, upper-cased
    (keywords are case-insensitive and a reply that begins with one counts); status is `opted_out`, `opted_in`
    or `received`. The preference center reads STOP replies with this same function."""
    text = " ".join((message_body or "").split()).upper().strip(" .!")
    first = text.split(" ", 1)[0] if text else ""
    candidates = [c for c in (text, first, (registered_keyword or "").strip().upper()) if c]
    for candidate in candidates:
        if candidate in OPT_OUT_KEYWORDS:
            return candidate, "opted_out"
    for candidate in candidates:
        if candidate in OPT_IN_KEYWORDS:
            return candidate, "opted_in"
    return (first or (registered_keyword or "").upper() or None), "received"


# Which producer feeds which view: (event_source, event types, what qualifies). The README's views reference is
# generated from this, and the end-to-end test checks that every event a producer emits reaches a view meant for
# it. Types of a source that feed no view (app events, page visits, voice) are queried from all_events.
_SES, _SMS, _PC, _OLD = SOURCE_SES, SOURCE_SMS_VOICE, SOURCE_PREFERENCE_CENTER, SOURCE_PINPOINT_LEGACY
_UNSUBSCRIBE = (PREFERENCE_PREFIX + "unsubscribe",)
_CHANNEL_ACTIONS = tuple(PREFERENCE_PREFIX + a for a in PREFERENCE_CHANNEL_ACTIONS)
VIEW_FEEDS: dict[str, tuple[tuple[str, tuple[str, ...], str], ...]] = {
    "email_send": ((_SES, ("send",), "SES Send"), (_OLD, ("send",), "imported _email.send")),
    "email_delivered": ((_SES, ("delivery",), "SES Delivery"), (_OLD, ("delivery",), "imported _email.delivered")),
    "email_hardbounce": ((_SES, ("bounce",), "bounceType Permanent"),
                         (_OLD, ("bounce",), "imported _email.hardbounce")),
    "email_softbounce": ((_SES, ("bounce",), "bounceType Transient or Undetermined"),
                         (_OLD, ("bounce",), "imported _email.softbounce")),
    "email_complaint": ((_SES, ("complaint",), "SES Complaint"), (_OLD, ("complaint",), "imported _email.complaint")),
    "email_reject": ((_SES, ("reject",), "SES Reject"), (_OLD, ("reject",), "imported _email.rejected")),
    "email_open": ((_SES, ("open",), "SES Open"), (_OLD, ("open",), "imported _email.open")),
    "email_click": ((_SES, ("click",), "SES Click"), (_OLD, ("click",), "imported _email.click, _email.unsubscribe")),
    "email_rendering_failure": ((_SES, ("rendering_failure",), "SES Rendering Failure"),
                                (_OLD, ("rendering_failure",), "imported _email.rendering_failure")),
    "email_delivery_delay": ((_SES, ("delivery_delay",), "SES DeliveryDelay"),),
    "email_subscription": ((_SES, ("subscription",), "SES Subscription (contact lists)"),
                           (_PC, _CHANNEL_ACTIONS, "on the email channel, SES opt-outs it applied included")),
    "email_unsubscribe": ((_SES, ("click",), "on a link tagged unsubscribeLinkTag/unsubscribe"),
                          (_SES, ("subscription",), "whose new preferences opt out"),
                          (_PC, _UNSUBSCRIBE, "on the email channel, unless source ses_subscription"),
                          (_OLD, ("click",), "imported _email.unsubscribe")),
    "campaign_send": ((_SES, ("send",), "with a campaign_id/campaign tag"),
                      (_OLD, ("send", "campaign.send"), "imported _email.send with a campaign, _campaign.send")),
    "campaign_funnel": ((_SES, ("send", "delivery", "open", "click", "bounce", "complaint", "subscription"),
                         "with a campaign_id/campaign tag"),
                        (_PC, _UNSUBSCRIBE, "on the email channel, with the campaign the link carried, unless "
                                             "source ses_subscription")),
    "journey_send": ((_OLD, ("journey.send",), "imported _journey.send, on its activity's channel"),),
    "sms_buffered": ((_SMS, SMS_PROGRESS_TYPES, "not final"), (_SMS, SMS_SUCCESS_TYPES, "isFinal false"),
                     (_OLD, ("text_successful",), "imported _SMS.BUFFERED")),
    "sms_success": ((_SMS, SMS_SUCCESS_TYPES, "isFinal true; one row per message"),
                    (_OLD, ("text_delivered",), "imported _SMS.SUCCESS")),
    "sms_failure": ((_SMS, SMS_FAILURE_TYPES, "final failures"), (_OLD, SMS_FAILURE_TYPES, "imported _SMS.FAILURE")),
    "sms_optout": ((_SMS, (SMS_INBOUND,), "a reply with an opt-out keyword (STOP, ...)"),
                   (_PC, _UNSUBSCRIBE, "on the sms channel, unless source sms_keyword"),
                   (_SMS, SMS_FAILURE_TYPES, "messageStatus OPTED_OUT: a send blocked by an earlier opt-out"),
                   (_OLD, (SMS_LEGACY_OPT_OUT,), "imported _SMS.OPTOUT"),
                   (_OLD, SMS_FAILURE_TYPES, "imported _SMS.FAILURE with record_status OPTED_OUT")),
    "sms_inbound": ((_SMS, (SMS_INBOUND,), "every two-way SMS reply"),),
    "sms_subscription": ((_PC, _CHANNEL_ACTIONS, "on the sms channel, STOP/START replies it applied included"),),
    "sms_spend_by_country": ((_SMS, TEXT_TYPES + MEDIA_TYPES, "priced events, once per message"),
                             (_OLD, SMS_SUCCESS_TYPES + SMS_FAILURE_TYPES + (SMS_LEGACY_OPT_OUT,), "imported _SMS.*")),
}
