"""SES's own subscription management (its hosted unsubscribe page, the List-Unsubscribe header it adds for
contact lists) as the preference center sees it, over moto: the contact changes in SES, and SES publishes a
`Subscription` event.

moto has no subscription management, so this stands in for it: `change_contact` updates the contact the way the
page does (topics set to OPT_OUT / OPT_IN, UnsubscribeAll) and returns the event record SES publishes for it.
The record is AWS's published Subscription example (tests/fixtures/published_events/ses_subscription.json; its
source is in sources.json) with this change's values filled in: contact list, recipient, message id, time, and
the old and new topic preferences read from the contact before and after (statuses spelled `OptIn`/`OptOut` as
in the example). Firehose receives that record as it is; EventBridge's default bus receives it as the `detail`
of an event with source `aws.ses` and detail-type `Email Subscribed` (`bus_event`, with the metadata fields the
EventBridge user guide lists under "AWS service event metadata").
"""
from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

PUBLISHED = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "published_events" / "ses_subscription.json"
ACCOUNT, REGION = "123456789012", "us-east-1"
_EVENT_SPELLING = {"OPT_IN": "OptIn", "OPT_OUT": "OptOut"}


def _iso(moment: datetime, milliseconds: bool = True) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds" if milliseconds else "seconds").replace(
        "+00:00", "Z")


def _preferences(statuses: dict[str, str], unsubscribe_all: bool) -> dict[str, Any]:
    return {"unsubscribeAll": unsubscribe_all, "topicSubscriptionStatus": [
        {"topicName": topic, "subscriptionStatus": _EVENT_SPELLING[status]} for topic, status in sorted(statuses.items())]}


def change_contact(sesv2: Any, contact_list: str, email: str, opt_out: Iterable[str] = (), opt_in: Iterable[str] = (),
                   unsubscribe_all: bool | None = None, at: datetime | None = None,
                   source: str = "UnsubscribeHeader") -> dict[str, Any]:
    """The recipient of a message changes their contact on SES's page; returns the event record SES publishes."""
    before = sesv2.get_contact(ContactListName=contact_list, EmailAddress=email)
    old = {t["TopicName"]: t["SubscriptionStatus"] for t in before.get("TopicPreferences", [])}
    new = {**old, **dict.fromkeys(opt_out, "OPT_OUT"), **dict.fromkeys(opt_in, "OPT_IN")}
    all_before = bool(before.get("UnsubscribeAll"))
    all_after = all_before if unsubscribe_all is None else unsubscribe_all
    sesv2.update_contact(ContactListName=contact_list, EmailAddress=email, UnsubscribeAll=all_after,
                         TopicPreferences=[{"TopicName": t, "SubscriptionStatus": s} for t, s in sorted(new.items())])
    return subscription_record(contact_list, email, _preferences(old, all_before), _preferences(new, all_after),
                               at or datetime.now(UTC), source)


def subscription_record(contact_list: str, email: str, old: dict[str, Any], new: dict[str, Any], at: datetime,
                        source: str = "UnsubscribeHeader", message_id: str | None = None) -> dict[str, Any]:
    """AWS's published Subscription record carrying this change."""
    record = copy.deepcopy(json.loads(PUBLISHED.read_text()))
    mail = record["mail"]
    mail.update(timestamp=_iso(at - timedelta(minutes=10)), destination=[email],
                messageId=message_id or f"EXAMPLE-{uuid.uuid4()}-000000")
    mail["commonHeaders"].update(to=[email], messageId=mail["messageId"])
    mail["headers"] = [{**h, "value": email} if h["name"] == "To" else h for h in mail["headers"]]
    record["subscription"].update(contactList=contact_list, timestamp=_iso(at), source=source,
                                  newTopicPreferences=new, oldTopicPreferences=old)
    return record


def bus_event(record: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    """The record as EventBridge's default bus delivers it to a rule's target."""
    at = datetime.fromisoformat(record["subscription"]["timestamp"].replace("Z", "+00:00"))
    return {"version": "0", "id": event_id or str(uuid.uuid4()), "detail-type": "Email Subscribed",
            "source": "aws.ses", "account": ACCOUNT, "time": _iso(at, milliseconds=False), "region": REGION,
            "resources": [], "detail": record}
