"""Plain logic behind each route: no HTTP, no event parsing, AWS clients passed in through settings.client.

Ownership rules (README "Threat notes"): an address reaches `addresses` (and so SES, the SMS opt-out list and
the audiences) only through a confirmation sent to that address; a manage link proves who the user is, not that
they own a new address; re-subscribing after a full opt-out asks the address to confirm again.
"""
from __future__ import annotations

import time
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from . import addresses, confirmation, events, store, tokens
from .center import LoadedCenter, load_center
from .errors import StaleRead, ValidationFailed, VersionConflict, WrongAudience, field_error
from .settings import Settings, client
from .unsubscribe import unsubscribed
from .validation import OptInBody, PreferencesBody, normalise

ONE_CLICK_ATTEMPTS = 3
CONFIRM_ATTEMPTS = 3


def center(env: Settings, center_id: str) -> LoadedCenter:
    return load_center(center_id, env.config_table, client("dynamodb"))


def authorise(env: Settings, token: str | None, center_id: str, purpose: str) -> tokens.Claims:
    claims = tokens.verify_with_refresh(token, env.signing_secret_arn, client("secretsmanager"),
                                        max_ttl_seconds=env.max_link_ttl_days * 86400)
    # A genuine token only grants what it names: this center and this purpose.
    if claims.center_id != center_id or claims.purpose != purpose:
        raise WrongAudience("token not valid here")
    return claims


def optional_user(env: Settings, token: str | None, center_id: str) -> str:
    """The user behind a page open, or 'anonymous' (opt-in pages and broken links still count as opens)."""
    if not token:
        return "anonymous"
    try:
        return authorise(env, token, center_id, "manage").user_id
    except (tokens.TokenError, WrongAudience):
        return "anonymous"


def record_open(env: Settings, center_id: str, user_id: str, language: str) -> None:
    events.emit(client("firehose"), env.events_stream_name, "open", user_id, center_id, language=language)


def read_preferences(env: Settings, loaded: LoadedCenter, user_id: str) -> dict[str, Any]:
    center_id = loaded.config.id
    record = _current(env, center_id, user_id)
    events.emit(client("firehose"), env.events_stream_name, "read", user_id, center_id)
    return store.public_view(record)


def update_preferences(env: Settings, loaded: LoadedCenter, user_id: str, body: PreferencesBody,
                       meta: store.RequestMeta) -> dict[str, Any]:
    current = _current(env, loaded.config.id, user_id)
    given = normalise(loaded.config, body)
    _check_sms_available(env, given["addresses"], current)
    desired, to_confirm = _with_addresses(current, given)
    released = [(ch, address) for ch, address in current["addresses"].items() if ch not in desired["addresses"]]
    extra = [addresses.release_item(env.addresses_table, loaded.config.id, ch, address, user_id)
             for ch, address in released]
    # Without an origination identity a number cannot be re-confirmed: it then stays on the opt-out list.
    to_confirm += [(channel, address) for channel, address in _reconfirmations(current, desired, to_confirm)
                   if channel != "SMS" or env.sms_origination_identity]
    for channel, address in to_confirm:
        desired = confirmation.pending_request(desired, channel, address)
    saved = _save_counting(env, loaded, current, desired, body.version, meta, extra, to_confirm)
    for channel, _ in to_confirm:
        confirmation.send(env, loaded, user_id, channel, saved["pending"][channel], saved["nonces"][channel],
                          saved.get("language"))
    return store.public_view(saved)


def opt_in(env: Settings, loaded: LoadedCenter, body: OptInBody, meta: store.RequestMeta) -> dict[str, Any]:
    """A new record whose addresses all await confirmation. No token is returned: the manage link is only
    handed out once an address is confirmed, to that address (so nobody manages what they do not own)."""
    given = normalise(loaded.config, body)
    if not given["addresses"]:
        raise ValidationFailed({"addresses": field_error("required", "give at least one address")})
    _check_sms_available(env, given["addresses"], None)
    user_id = f"u-{uuid.uuid4()}"
    current = store.empty_preferences(loaded.config.id, user_id)
    desired = {**current, **given, "addresses": {}}
    for channel, address in given["addresses"].items():
        desired = confirmation.pending_request(desired, channel, address)
    saved = _save_counting(env, loaded, current, desired, 0, meta, [], list(given["addresses"].items()))
    for channel, address in given["addresses"].items():
        confirmation.send(env, loaded, user_id, channel, address, saved["nonces"][channel], saved.get("language"))
    return {"status": "confirmation_sent", "channels": sorted(given["addresses"])}


def confirm(env: Settings, loaded: LoadedCenter, claims: tokens.Claims, meta: store.RequestMeta) -> dict[str, Any]:
    """Move the pending address named by a single-use confirm token into `addresses` and claim it in the
    registry, detaching it from any other record that held it. Retried when a concurrent write interferes."""
    for attempt in range(CONFIRM_ATTEMPTS):
        try:
            return _confirm_once(env, loaded, claims, meta)
        except (StaleRead, VersionConflict):
            if attempt == CONFIRM_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _confirm_once(env: Settings, loaded: LoadedCenter, claims: tokens.Claims,
                  meta: store.RequestMeta) -> dict[str, Any]:
    center_id, channel, dynamodb = loaded.config.id, claims.channel or "", client("dynamodb")
    current = _current(env, center_id, claims.user_id)
    address = current["pending"].get(channel)
    if not address or not claims.nonce or current["nonces"].get(channel) != claims.nonce:
        raise WrongAudience("confirmation link already used or replaced by a newer one")
    now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    first_address = not current["addresses"]
    desired = {**current, "addresses": {**current["addresses"], channel: address},
               "pending": {k: v for k, v in current["pending"].items() if k != channel},
               "nonces": {k: v for k, v in current["nonces"].items() if k != channel},
               "confirmed_at": {**current["confirmed_at"], channel: now}}
    previous = addresses.owner(dynamodb, env.addresses_table, center_id, channel, address)
    extra = [addresses.claim_item(env.addresses_table, center_id, channel, address, claims.user_id,
                                  previous, now)]
    old_address = current["addresses"].get(channel)
    if old_address and old_address != address:
        extra.append(addresses.release_item(env.addresses_table, center_id, channel, old_address, claims.user_id))
    if previous and previous != claims.user_id:
        other = store.get_preferences(dynamodb, env.preferences_table, center_id, previous)
        if other and other["addresses"].get(channel) == address:
            _, items = store.record_items(_tables(env), other, addresses.detached(other, channel), other["version"],
                                          store.RequestMeta("detached", request_id=meta.request_id))
            extra.extend(items)
    saved = store.save(dynamodb, _tables(env), current, desired, current["version"], meta, extra)
    result: dict[str, Any] = {"confirmed": channel, "preferences": store.public_view(saved)}
    if first_address:
        token = issue_manage_token(env, loaded, claims.user_id)
        result.update(token=token, manage_url=confirmation.manage_link(env, center_id, token))
    return result


def issue_manage_token(env: Settings, loaded: LoadedCenter, user_id: str) -> str:
    keyring = tokens.load_keyring(env.signing_secret_arn, client("secretsmanager"))
    ttl_days = min(loaded.config.link_ttl_days, env.max_link_ttl_days)
    return tokens.sign(tokens.Claims(user_id=user_id, center_id=loaded.config.id, purpose="manage",
                                     expires_at=int(time.time()) + ttl_days * 86400), keyring.current)


def one_click_unsubscribe(env: Settings, loaded: LoadedCenter, claims: tokens.Claims,
                          meta: store.RequestMeta) -> dict[str, Any]:
    """Apply the unsubscribe, retrying on a concurrent write: a mail client cannot be shown a 409."""
    meta = replace(meta, campaign_id=claims.campaign_id or "")
    for attempt in range(ONE_CLICK_ATTEMPTS):
        current = _current(env, loaded.config.id, claims.user_id)
        desired = unsubscribed(current, claims.publication_id)
        try:
            saved = store.save(client("dynamodb"), _tables(env), current, desired, current["version"], meta)
            return {"unsubscribed": claims.publication_id or "all", "version": saved["version"]}
        except VersionConflict:
            if attempt == ONE_CLICK_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


# --- helpers -------------------------------------------------------------------------------------------------

def _save_counting(env: Settings, loaded: LoadedCenter, current: dict[str, Any], desired: dict[str, Any],
                   version: int, meta: store.RequestMeta, extra: list[dict[str, Any]],
                   to_confirm: list[tuple[str, str]]) -> dict[str, Any]:
    """store.save with one confirmation counted per address in `to_confirm`, in the same transaction (nothing
    is counted when the change is refused); counts read again when a concurrent request counted first."""
    for attempt in range(CONFIRM_ATTEMPTS):
        counters = [addresses.confirmation_item(client("dynamodb"), env.addresses_table, loaded.config.id, channel,
                                                address, loaded.config.confirmation.max_per_address_per_day)
                    for channel, address in to_confirm]
        try:
            return store.save(client("dynamodb"), _tables(env), current, desired, version, meta,
                              [*extra, *counters])
        except StaleRead:
            if attempt == CONFIRM_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _tables(env: Settings) -> tuple[str, str]:
    return env.preferences_table, env.consent_table


def _current(env: Settings, center_id: str, user_id: str) -> dict[str, Any]:
    return (store.get_preferences(client("dynamodb"), env.preferences_table, center_id, user_id)
            or store.empty_preferences(center_id, user_id))


def _check_sms_available(env: Settings, given: dict[str, str], current: dict[str, Any] | None) -> None:
    """A number that is new to the record must be confirmed by SMS; without an origination identity it cannot."""
    number = given.get("SMS")
    if number and not env.sms_origination_identity and (current or {}).get("addresses", {}).get("SMS") != number:
        raise ValidationFailed({"addresses.SMS": field_error(
            "unavailable", "this preference center cannot confirm mobile numbers yet")})


def _with_addresses(current: dict[str, Any], given: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Apply the form to the record: removing an address is immediate, a new one waits for confirmation."""
    confirmed, pending = dict(current["addresses"]), dict(current["pending"])
    nonces = dict(current["nonces"])
    to_confirm = []
    for channel in set(confirmed) | set(pending) | set(given["addresses"]):
        wanted = given["addresses"].get(channel)
        if wanted is None:
            confirmed.pop(channel, None)
            pending.pop(channel, None)
            nonces.pop(channel, None)
        elif wanted == confirmed.get(channel):
            pending.pop(channel, None)
            nonces.pop(channel, None)
        elif wanted != pending.get(channel):
            to_confirm.append((channel, wanted))
    desired = {**current, **given, "addresses": confirmed, "pending": pending, "nonces": nonces,
               "confirmed_at": {k: v for k, v in current["confirmed_at"].items() if k in confirmed}}
    return desired, sorted(to_confirm)


def _active_channels(record: dict[str, Any]) -> set[str]:
    if record["unsubscribed_all"]:
        return set()
    return {channel for channels in record["subscriptions"].values() for channel in channels}


def _reconfirmations(current: dict[str, Any], desired: dict[str, Any],
                     already: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Channels whose confirmed address opted out entirely and is now subscribed again: the opt-out (on the SMS
    opt-out list, or SES unsubscribe-all) is only lifted by a new confirmation of that address."""
    if current["version"] == 0:
        return []
    was, now = _active_channels(current), _active_channels(desired)
    lifted_all = current["unsubscribed_all"] and not desired["unsubscribed_all"]
    pending = {channel for channel, _ in already} | set(desired["pending"])
    found = []
    for channel, address in sorted(desired["addresses"].items()):
        if channel in pending or channel not in now:
            continue
        if (lifted_all and channel == "EMAIL") or (channel == "SMS" and channel not in was):
            found.append((channel, address))
    return found
