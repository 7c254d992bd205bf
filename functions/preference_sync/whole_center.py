"""Reconcile a whole preference center: every user, then whatever no user's record explains.

Used by tools/preference_reconcile.py (`--center`), e.g. when stream records of failed batches have expired.
"""
from __future__ import annotations

from . import sync
from .settings import Settings, client


def reconcile_center(env: Settings, center_id: str) -> dict[str, int]:
    """Reconcile every user of the center, then remove what no user's record explains: audience rows of unknown
    users or publications, and contacts of e-mails nobody owns. Returns counts for the operator."""
    dynamodb, users = client("dynamodb"), set()
    for page in dynamodb.get_paginator("scan").paginate(
            TableName=env.preferences_table, ProjectionExpression="user_id, preference_center_id",
            FilterExpression="preference_center_id = :c", ExpressionAttributeValues={":c": {"S": center_id}}):
        users.update(item["user_id"]["S"] for item in page["Items"])
    for user_id in sorted(users):
        sync.reconcile_user(env, center_id, user_id)
    publications = sync.center_publications(env, center_id)
    known_keys = {f"{center_id}#{p}#{c}" for p, channels in publications.items() for c in channels}
    orphans = 0
    for page in dynamodb.get_paginator("scan").paginate(TableName=env.audience_table):
        for item in page["Items"]:
            key, user_id = item["audience"]["S"], item["user_id"]["S"]
            if key.startswith(f"{center_id}#") and (key not in known_keys or user_id not in users):
                dynamodb.delete_item(TableName=env.audience_table, Key={"audience": item["audience"],
                                                                        "user_id": item["user_id"]})
                orphans += 1
    ses, removed, token = client("sesv2"), 0, None
    while True:
        page = ses.list_contacts(ContactListName=env.contact_list_name, **({"NextToken": token} if token else {}))
        for contact in page.get("Contacts", []):
            if sync.owner(env, center_id, "EMAIL", contact["EmailAddress"]) is None:
                ses.delete_contact(ContactListName=env.contact_list_name, EmailAddress=contact["EmailAddress"])
                removed += 1
        token = page.get("NextToken")
        if not token:
            break
    return {"users": len(users), "orphan_audience_rows": orphans, "unowned_contacts": removed}
