"""Optional export to Amazon Connect Customer Profiles: churn attributes on profiles, a "predicted to churn" segment.

Customer Profiles is where Amazon Connect outbound campaigns find their audiences (the successor AWS names for
Pinpoint segments). The `ChurnScore` object type and the "predicted to churn" segment definition are declared by
the stack (contracts/churn_profiles.py, one definition for both); this module only sends objects:
`BatchPutProfileObject` takes 10 objects per call and failed items are retried.
"""
from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping
from typing import Any

from contracts.churn_profiles import OBJECT_TYPE, profile_object

BATCH = 10  # BatchPutProfileObject maximum


class CustomerProfilesError(RuntimeError):
    pass


def export(client: Any, domain: str, records: Iterable[Mapping[str, Any]], max_retries: int = 5) -> dict[str, int]:
    """Send every record; unprocessed items are retried with backoff; what still fails raises (nothing is
    reported as exported that was not)."""
    sent = 0
    batch: list[dict[str, str]] = []
    for record in records:
        batch.append({"Id": str(record["customer_id"]), "Object": json.dumps(profile_object(record))})
        if len(batch) == BATCH:
            sent += _put(client, domain, batch, max_retries)
            batch = []
    if batch:
        sent += _put(client, domain, batch, max_retries)
    return {"exported": sent}


def _put(client: Any, domain: str, items: list[dict[str, str]], max_retries: int) -> int:
    pending = items
    for attempt in range(max_retries + 1):
        response = client.batch_put_profile_object(DomainName=domain, ObjectTypeName=OBJECT_TYPE, Items=pending)
        failed = {f.get("Id") for f in response.get("Failed", [])}
        pending = [item for item in pending if item["Id"] in failed]
        if not pending:
            return len(items)
        time.sleep(min(2.0, 0.1 * 2 ** attempt))
    raise CustomerProfilesError(f"{len(pending)} profile objects were still rejected after {max_retries} retries: "
                                f"{sorted(i['Id'] for i in pending)[:5]}")
