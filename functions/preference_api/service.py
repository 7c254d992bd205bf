"""Plain logic behind each route: no HTTP, no event parsing, AWS clients passed in through settings.client."""
from __future__ import annotations

import time
import uuid
from typing import Any

from . import events, store, tokens
from .center import LoadedCenter, load_center
from .errors import ValidationFailed, VersionConflict, WrongAudience, field_error
from .settings import Settings, client
from .unsubscribe import unsubscribed
from .validation import OptInBody, PreferencesBody, normalise

ONE_CLICK_ATTEMPTS = 3


def center(env: Settings, center_id: str) -> LoadedCenter:
    return load_center(center_id, env.config_table, client("dynamodb"))


def authorise(env: Settings, token: str | None, center_id: str, purpose: str) -> tokens.Claims:
    keyring = tokens.load_keyring(env.signing_secret_arn, client("secretsmanager"))
    claims = tokens.verify(token, keyring)
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
    events.emit(client("firehose"), env.events_stream_name,
                events.build_event("open", user_id, center_id, language=language))


def read_preferences(env: Settings, loaded: LoadedCenter, user_id: str) -> dict[str, Any]:
    center_id = loaded.config.id
    record = (store.get_preferences(client("dynamodb"), env.preferences_table, center_id, user_id)
              or store.empty_preferences(center_id, user_id))
    events.emit(client("firehose"), env.events_stream_name, events.build_event("read", user_id, center_id))
    return store.public_view(record)


def update_preferences(env: Settings, loaded: LoadedCenter, user_id: str, body: PreferencesBody,
                       meta: store.RequestMeta) -> dict[str, Any]:
    desired = normalise(loaded.config, body)
    current = _current(env, loaded.config.id, user_id)
    saved = store.save(client("dynamodb"), (env.preferences_table, env.consent_table), current, desired,
                       body.version, meta)
    return store.public_view(saved)


def opt_in(env: Settings, loaded: LoadedCenter, body: OptInBody, meta: store.RequestMeta) -> dict[str, Any]:
    desired = normalise(loaded.config, body)
    if not desired["addresses"]:
        raise ValidationFailed({"addresses": field_error("required", "give at least one address")})
    user_id = f"u-{uuid.uuid4()}"
    current = store.empty_preferences(loaded.config.id, user_id)
    saved = store.save(client("dynamodb"), (env.preferences_table, env.consent_table), current, desired, 0, meta)
    keyring = tokens.load_keyring(env.signing_secret_arn, client("secretsmanager"))
    token = tokens.sign(tokens.Claims(user_id=user_id, center_id=loaded.config.id, purpose="manage",
                                      expires_at=int(time.time()) + loaded.config.link_ttl_days * 86400),
                        keyring.current)
    return {"user_id": user_id, "token": token,
            "manage_url": f"{env.page_base_url}/index.html?pc={loaded.config.id}&token={token}",
            "preferences": store.public_view(saved)}


def one_click_unsubscribe(env: Settings, loaded: LoadedCenter, claims: tokens.Claims,
                          meta: store.RequestMeta) -> dict[str, Any]:
    """Apply the unsubscribe, retrying on a concurrent write: a mail client cannot be shown a 409."""
    for attempt in range(ONE_CLICK_ATTEMPTS):
        current = _current(env, loaded.config.id, claims.user_id)
        desired = unsubscribed(current, claims.publication_id)
        try:
            saved = store.save(client("dynamodb"), (env.preferences_table, env.consent_table), current,
                               desired, current["version"], meta)
            return {"unsubscribed": claims.publication_id or "all", "version": saved["version"]}
        except VersionConflict:
            if attempt == ONE_CLICK_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _current(env: Settings, center_id: str, user_id: str) -> dict[str, Any]:
    return (store.get_preferences(client("dynamodb"), env.preferences_table, center_id, user_id)
            or store.empty_preferences(center_id, user_id))
