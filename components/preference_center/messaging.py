"""Where preferences take effect when sending: the SES v2 contact list (email) and the SMS opt-out list.

Each publication offered on EMAIL is a contact-list topic named by its id (the id preference_sync writes).
Topics default to OPT_OUT: a contact receives a publication only after an explicit opt-in on the page.
SES allows one contact list per account and Region: where one exists already, adopt it by name
(`preferenceCenterExistingContactListName`); it is then used, not managed, and must have a topic per EMAIL
publication (SES refuses the sync's writes otherwise, and those changes wait in the failure queue).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from .. import iam


def topics(document: dict[str, Any]) -> list[aws.sesv2.ContactListTopicArgs]:
    labels = document["text"][document["default_language"]]["labels"]
    return [aws.sesv2.ContactListTopicArgs(topic_name=publication["id"],
                                           display_name=labels[f"publication.{publication['id']}"],
                                           default_subscription_status="OPT_OUT")
            for category in document["categories"] for publication in category["publications"]
            if "EMAIL" in publication["channels"]]


def create_contact_list(name: str, list_name: str, document: dict[str, Any],
                        parent: pulumi.Resource) -> aws.sesv2.ContactList:
    return aws.sesv2.ContactList(
        f"{name}-contacts", contact_list_name=list_name, topics=topics(document),
        description=f"Email subscriptions of preference center {document['id']}",
        opts=pulumi.ResourceOptions(parent=parent))


def create_opt_out_list(name: str, list_name: str, parent: pulumi.Resource) -> aws.pinpoint.Smsvoicev2OptOutList:
    # End User Messaging SMS (still supported; only Pinpoint's engagement resources were retired).
    return aws.pinpoint.Smsvoicev2OptOutList(f"{name}-sms-opt-outs", name=list_name,
                                             opts=pulumi.ResourceOptions(parent=parent))


@dataclass(frozen=True)
class ContactList:
    name: pulumi.Output[str]
    arn: pulumi.Output[str]


def contact_list(name: str, list_name: str, document: dict[str, Any], existing: str,
                 parent: pulumi.Resource) -> ContactList:
    """The stack's contact list, or the adopted existing one (its ARN built from the stack's account and Region)."""
    if existing:
        arn = pulumi.Output.concat("arn:aws:ses:", iam.region_name(), ":", iam.account_id(), ":contact-list/",
                                   existing)
        return ContactList(name=pulumi.Output.from_input(existing), arn=arn)
    created = create_contact_list(name, list_name, document, parent)
    return ContactList(name=created.contact_list_name, arn=created.arn)
