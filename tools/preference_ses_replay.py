"""Replay the SES Subscription events the preference center's SES subscription function could not apply.

    python -m tools.preference_ses_replay --function "$(pulumi stack output preferenceSesSubscriptionFunction)"

The function's dead-letter queue holds what EventBridge could not deliver after its retries and the invocations
Lambda gave up on; in both the body is the EventBridge event itself. Each runs through the function's own code
(functions/preference_api/ses_subscriptions.py) with the function's own settings (tools.function_replay).
Applying an opt-out twice changes nothing and an event older than the owner's newer choice is stale, so a
message is deleted once it ran, and one that fails again is kept and named. Without --function, the settings
come from the environment and the queue from --queue-url (local runs, tests).
"""
from __future__ import annotations

import json
import sys
from typing import Any

from tools.function_replay import Replayable, ReplayError


def bus_event(body: str) -> dict[str, Any]:
    """The EventBridge event one dead-letter message holds."""
    try:
        event = json.loads(body)
    except ValueError:
        raise ReplayError("not JSON") from None
    if not isinstance(event, dict) or not isinstance(event.get("detail"), dict) or "detail-type" not in event:
        raise ReplayError("not an EventBridge event")
    return event


def _module():
    from functions.preference_api import ses_subscriptions

    return ses_subscriptions


SUBSCRIPTION_FUNCTION = Replayable(
    what="the SES subscription function", handler=lambda: _module().lambda_handler,
    settings=lambda: _module().subscription_settings(),
    clear_settings=lambda: _module().subscription_settings.cache_clear(), events=lambda body: [bus_event(body)],
    outcomes=lambda result: [result["outcome"]])


def main(argv: list[str] | None = None) -> int:
    from tools import function_replay

    return function_replay.main(SUBSCRIPTION_FUNCTION, __doc__.splitlines()[0], argv)


if __name__ == "__main__":
    sys.exit(main())
