"""Replay the two-way SMS replies the preference center's keyword function could not apply, then delete them.

    python -m tools.preference_sms_replay --function "$(pulumi stack output preferenceSmsKeywordFunction)"

The function's dead-letter queue holds two kinds of message: Lambda's failed asynchronous invocations (the body
is SNS's Lambda event, `{"Records": [...]}`) and what SNS could not deliver at all (the body is SNS's
notification, `{"Type": "Notification", "Message": ...}`, raw delivery being off). Both run through the function's
own code (functions/preference_api/sms_keywords.py) with the function's own settings (tools.function_replay).
Applying a reply twice changes nothing (a reply not newer than the last one applied is stale), so a message is
deleted once it ran, and one that fails again is kept and named. Without --function, the settings come from the
environment and the queue from --queue-url (local runs, tests).
"""
from __future__ import annotations

import json
import sys
from typing import Any

from tools.function_replay import Replayable, ReplayError


def lambda_event(body: str) -> dict[str, Any]:
    """SNS's Lambda event for one dead-letter message, whichever of the two kinds it is."""
    try:
        message = json.loads(body)
    except ValueError:
        raise ReplayError("not JSON") from None
    if isinstance(message, dict) and isinstance(message.get("Records"), list):
        return message
    if isinstance(message, dict) and message.get("Type") == "Notification" and "Message" in message:
        return {"Records": [{"EventSource": "aws:sns", "EventVersion": "1.0",
                             "EventSubscriptionArn": message.get("TopicArn", ""), "Sns": message}]}
    raise ReplayError("neither an SNS Lambda event nor an SNS notification")


def _handler():
    from functions.preference_api.sms_keywords import lambda_handler

    return lambda_handler


def _settings():
    from functions.preference_api.sms_keywords import keyword_settings

    return keyword_settings


KEYWORD_FUNCTION = Replayable(
    what="the keyword function", handler=_handler, settings=lambda: _settings()(),
    clear_settings=lambda: _settings().cache_clear(), events=lambda body: [lambda_event(body)],
    outcomes=lambda result: list(result["outcomes"]))


def main(argv: list[str] | None = None) -> int:
    from tools import function_replay

    return function_replay.main(KEYWORD_FUNCTION, __doc__.splitlines()[0], argv)


if __name__ == "__main__":
    sys.exit(main())
