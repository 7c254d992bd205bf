"""One person's journey through SES's own unsubscribe page and back, on the real producers over moto: the real API
makes and confirms the owner (tools.preference_center_local), tools.ses_subscription_page changes the SES contact
and publishes AWS's Subscription record in EventBridge's envelope, the real handler applies it, the real stream
sync carries the record to SES, and `python -m tools.preference_ses_replay` replays a dead-lettered event.

Guaranteed: an opt-out made on SES's page is never undone by the sync, whether its event arrives (the record says
it), is lost (the sync's guard holds it) or arrives late from the dead-letter queue; only the owner's own newer
choice on the preference page, with a confirmation where lifting needs one, turns it back on; the consent log
names every step.
"""
from __future__ import annotations

import json

import boto3
import pytest

from tools import preference_center_local, preference_ses_replay
from tools.preference_seed import Names

NAMES = Names()
EMAIL = "ana@example.com"
CHOICES = {"runners-monthly": ["EMAIL"], "weekly-specials": ["EMAIL"]}


@pytest.fixture
def center():
    with preference_center_local.running(NAMES) as local:
        yield local


def subscribed(center) -> str:
    user = center.optin({"EMAIL": EMAIL}, CHOICES)
    center.confirm_everything()
    center.sync()
    return user


def contact(center) -> tuple[dict[str, str], bool]:
    found = center.sesv2.get_contact(ContactListName=NAMES.contact_list, EmailAddress=EMAIL)
    return ({t["TopicName"]: t["SubscriptionStatus"] for t in found["TopicPreferences"] if t["TopicName"] in CHOICES},
            found["UnsubscribeAll"])


def record(center, user) -> dict:
    return center.record(user)


def consent_sources(center, user) -> list[str]:
    return [i["source"]["S"] for i in sorted(center.consent_items(user), key=lambda i: i["recorded_at"]["S"])]


def put_unconfirmed(center, user, **fields) -> None:
    """The page's PUT, without following the confirmation link it sends."""
    token = center.manage_token(user)
    _, current = center.api("GET", "/preferences", token=token)
    form = {"version": current["version"], "addresses": current["addresses"], "attributes": current["attributes"],
            "subscriptions": current["subscriptions"], "unsubscribed_all": current["unsubscribed_all"], **fields}
    status, body = center.api("PUT", "/preferences", token=token, body=form)
    assert status == 200, body


def test_delivered_opt_outs_stay_out_until_the_owner_chooses_again_on_the_page(center):
    user = subscribed(center)
    # Ana opts out of runners-monthly on SES's page; EventBridge delivers the event; the sync runs
    center.ses_page(EMAIL, opt_out=["runners-monthly"])
    center.sync()
    assert contact(center) == ({"runners-monthly": "OPT_OUT", "weekly-specials": "OPT_IN"}, False)
    assert record(center, user)["subscriptions"] == {"weekly-specials": ["EMAIL"]}
    # She turns it back on on the preference page (her manage link proves who she is): SES follows
    center.save(user, subscriptions=CHOICES)
    center.sync()
    assert contact(center)[0]["runners-monthly"] == "OPT_IN"
    # She unsubscribes from everything on SES's page: the record's switch and SES's both stay on
    center.ses_page(EMAIL, unsubscribe_all=True)
    center.sync()
    assert record(center, user)["unsubscribed_all"] is True and contact(center)[1] is True
    # Lifting it on the page is not enough until the address confirms it
    put_unconfirmed(center, user, unsubscribed_all=False)
    center.sync()
    assert contact(center)[1] is True
    center.confirm_everything()
    center.sync()
    assert contact(center) == ({"runners-monthly": "OPT_IN", "weekly-specials": "OPT_IN"}, False)
    sources = consent_sources(center, user)
    assert sources.count("ses_subscription") == 2
    assert sources.index("ses_subscription") < len(sources) - 1 and sources[-1] == "confirmation"
    assert "preference_page" in sources[sources.index("ses_subscription"):]


def test_a_lost_event_is_held_by_the_sync_and_a_late_replay_brings_the_record_up_to_date(center, capsys):
    user = subscribed(center)
    # The event of Ana's opt-out on SES's page is lost on the way; an unrelated edit makes the sync run
    lost = center.ses_page(EMAIL, deliver=False, opt_out=["runners-monthly"])
    center.save(user, attributes={"first_name": "Ana Maria"})
    center.sync()
    assert contact(center)[0]["runners-monthly"] == "OPT_OUT"  # held: the record never heard of it
    assert "runners-monthly" in record(center, user)["subscriptions"]
    assert "ses_subscription" not in consent_sources(center, user)
    # The event was in the function's dead-letter queue (EventBridge's retries ran out): the replay applies it
    sqs = boto3.client("sqs")
    queue_url = sqs.create_queue(QueueName="ses-subscriptions-dlq")["QueueUrl"]
    sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(lost))
    assert preference_ses_replay.main(["--queue-url", queue_url]) == 0
    assert "replayed 1 message(s): 1 applied" in capsys.readouterr().out
    assert record(center, user)["subscriptions"] == {"weekly-specials": ["EMAIL"]}
    assert consent_sources(center, user)[-1] == "ses_subscription"
    center.sync()
    assert contact(center)[0]["runners-monthly"] == "OPT_OUT"
    # Ana re-subscribes on the preference page: her newer choice wins
    center.save(user, subscriptions=CHOICES)
    center.sync()
    assert contact(center)[0]["runners-monthly"] == "OPT_IN"
    assert consent_sources(center, user)[-1] == "preference_page"
