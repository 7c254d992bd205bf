"""The sync never puts back a topic opted out on SES's own page (functions/preference_sync/opt_outs.py), even
when SES's Subscription event never reaches the preference center (SES publishes those on a best-effort basis,
and only for mail sent through a configuration set that publishes them): the contact change is made by
tools.ses_subscription_page over moto, the record by the real API, the sync is the real stream consumer.

On the code before this guard, `test_a_topic_opted_out_on_ses_page_is_held_when_its_event_never_arrives` fails:
the unrelated edit's sync wrote the topic back to OPT_IN.
"""
from __future__ import annotations

import json
import time

from functions.preference_sync.handler import lambda_handler
from functions.preference_sync import whole_center
from functions.preference_sync.settings import settings

from .conftest import NAMES
from .test_handler import ANA, audience, optin, topics


def run(stack):
    assert lambda_handler(stack.stream.event(), stack.context) == {"batchItemFailures": []}


def subscribed(stack) -> str:
    user = optin(stack)  # runners-monthly by e-mail, weekly-specials by e-mail and SMS
    stack.confirm_everything()
    run(stack)
    return user


def held_metrics(capsys) -> list:
    return [json.loads(line)["SesOptOutsHeld"] for line in capsys.readouterr().out.splitlines()
            if '"SesOptOutsHeld"' in line]


def test_a_topic_opted_out_on_ses_page_is_held_when_its_event_never_arrives(stack, capsys):
    user = subscribed(stack)
    # Ana opts out of runners-monthly on SES's page; its event is lost
    stack.ses_page(ANA["EMAIL"], deliver=False, opt_out=["runners-monthly"])
    stack.save(user, attributes={"first_name": "Ana Maria"})
    run(stack)
    assert topics(stack)[0]["runners-monthly"] == "OPT_OUT"
    assert topics(stack)[0]["weekly-specials"] == "OPT_IN"
    assert held_metrics(capsys) == [[1.0]]
    # The audience table follows the record (SES applies the opt-out at send time); a whole-center reconcile holds
    # it too
    assert ("default#runners-monthly#EMAIL", user) in audience(stack)
    whole_center.reconcile_center(settings(), "default")
    assert topics(stack)[0]["runners-monthly"] == "OPT_OUT"


def test_a_new_subscription_still_reaches_ses_while_another_opt_out_is_held(stack):
    user = subscribed(stack)
    # Ana subscribes to new-arrivals on the page, and opts out of runners-monthly on SES's page before the sync
    stack.save(user, subscriptions={"runners-monthly": ["EMAIL"], "weekly-specials": ["EMAIL", "SMS"],
                                    "new-arrivals": ["EMAIL"]})
    time.sleep(0.005)
    stack.ses_page(ANA["EMAIL"], deliver=False, opt_out=["runners-monthly"])
    run(stack)
    statuses = topics(stack)[0]
    assert (statuses["new-arrivals"], statuses["runners-monthly"]) == ("OPT_IN", "OPT_OUT")


def test_the_owners_newer_choice_on_the_page_lifts_the_held_opt_out(stack):
    user = subscribed(stack)
    stack.ses_page(ANA["EMAIL"], deliver=False, opt_out=["runners-monthly"])
    time.sleep(0.005)
    # The page still shows runners-monthly on (its record never heard of the opt-out): Ana turns it off, then on
    stack.save(user, subscriptions={"weekly-specials": ["EMAIL", "SMS"]})
    stack.save(user, subscriptions={"runners-monthly": ["EMAIL"], "weekly-specials": ["EMAIL", "SMS"]})
    run(stack)
    assert topics(stack)[0]["runners-monthly"] == "OPT_IN"


def test_once_the_event_arrives_the_record_says_it_and_nothing_is_held(stack, capsys):
    user = subscribed(stack)
    late = stack.ses_page(ANA["EMAIL"], deliver=False, opt_out=["runners-monthly"])
    stack.save(user, attributes={"first_name": "Ana Maria"})
    run(stack)
    from functions.preference_api.ses_subscriptions import lambda_handler as apply_ses_event

    assert apply_ses_event(late, stack.context)["outcome"] == "applied"
    capsys.readouterr()
    run(stack)
    assert topics(stack)[0]["runners-monthly"] == "OPT_OUT"
    assert ("default#runners-monthly#EMAIL", user) not in audience(stack)
    assert held_metrics(capsys) == []
