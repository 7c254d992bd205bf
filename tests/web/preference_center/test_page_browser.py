"""The page in headless Chromium against the dev server (real handler over moto), under the production CSP."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
ARTIFACTS = REPO_ROOT / "out" / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]

pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def dev_server():
    process = subprocess.Popen([sys.executable, "-m", "tools.preference_dev_server", "--port", str(free_port())],
                               cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        links = json.loads(process.stdout.readline())
        yield links
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    # Debian's chromium by default; CHROMIUM_PATH points elsewhere (e.g. Google Chrome on GitHub's Ubuntu runners).
    executable = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not Path(executable).exists():
        pytest.fail(f"no browser at {executable}: apt-get install -y chromium, or set CHROMIUM_PATH")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 375, "height": 900}, locale="en-US")
    page = context.new_page()
    page.console_problems = []
    page.on("console", lambda msg: page.console_problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: page.console_problems.append(str(exc)))
    yield page
    context.close()


def test_user_sees_changes_and_keeps_subscriptions(page, dev_server):
    # Given the demo user's signed link
    response = page.goto(dev_server["manage"])
    # Then the page is served with the CloudFront CSP and shows every configured publication
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector("#form:not([hidden])")
    assert page.locator("html").get_attribute("lang") == "en"
    names = page.locator(".publication-name strong").all_inner_texts()
    assert names == ["Runners Monthly", "The Shoe Collector", "Weekly specials", "New arrivals"]
    assert page.get_by_label("Runners Monthly: Email").is_checked()
    # When the user subscribes to weekly specials by email using the keyboard, and saves
    page.get_by_label("Weekly specials: Email").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Save preferences").click()
    page.wait_for_selector("#status.success")
    assert page.locator("#status").inner_text() == "Your preferences have been saved."
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "preference-center.png"), full_page=True)
    # Then after a reload the choice is still there
    page.reload()
    page.wait_for_selector("#form:not([hidden])")
    assert page.get_by_label("Weekly specials: Email").is_checked()
    assert page.get_by_label("Runners Monthly: Email").is_checked()
    # And no inline script exists and nothing violated the CSP
    assert page.evaluate("Array.from(document.scripts).every(s => s.src && !s.textContent.trim())")
    assert page.evaluate("document.querySelectorAll('[style]').length") == 0
    assert not [p for p in page.console_problems if "Content Security Policy" in p or "Refused" in p]
    assert page.console_problems == []


def test_page_follows_lang_parameter(page, dev_server):
    page.goto(dev_server["manage"].replace("#", "&lang=es#", 1))
    page.wait_for_selector("#form:not([hidden])")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("h1").inner_text() == "Tus preferencias de comunicación"


def test_invalid_address_is_reported_next_to_the_field(page, dev_server):
    page.goto(dev_server["manage"])
    page.wait_for_selector("#form:not([hidden])")
    page.get_by_label("Email address *").fill("not-an-email")
    page.get_by_role("button", name="Save preferences").click()
    page.wait_for_selector("#err-addresses\\.EMAIL:not(:empty)")
    assert page.locator("#err-addresses\\.EMAIL").inner_text() == "Enter a valid email address."
    assert page.get_by_label("Email address *").get_attribute("aria-invalid") == "true"


def test_tampered_link_shows_the_error_view(page, dev_server):
    link = dev_server["manage"]
    tampered = link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB")
    page.goto(tampered)
    page.wait_for_selector("#error-view:not([hidden])")
    assert page.locator("#error-title").inner_text() == "This link is not valid. Use the link from your message."
    assert page.locator("#form").is_hidden()


def test_unsubscribe_link_get_shows_form_and_post_confirms(page, dev_server):
    page.goto(dev_server["unsubscribe"])
    page.get_by_role("button", name="Unsubscribe").click()
    page.wait_for_selector("text=You have been unsubscribed.")
    assert not [p for p in page.console_problems if "Content Security Policy" in p]


def test_optin_waits_for_the_address_owner_and_the_confirmation_link_opens_the_preferences(page, dev_server):
    import urllib.request

    # Given a new visitor who opts in with an address
    page.goto(dev_server["optin"])
    page.wait_for_selector("#form:not([hidden])")
    page.get_by_label("Email address *").fill("new.reader@example.com")
    page.get_by_label("First name *").fill("Nia")
    page.get_by_label("New arrivals: Email").check()
    page.get_by_role("button", name="Save preferences").click()
    # Then the page only says a confirmation was sent: no preferences, no link in the address bar
    page.wait_for_selector("#status.success")
    assert page.locator("#status").inner_text().startswith("Almost done")
    assert "token" not in page.url
    # When the address's owner opens the link from the message and confirms
    outbox = json.loads(urllib.request.urlopen(dev_server["base_url"] + "/__dev/outbox").read())
    [message] = [m for m in outbox if m["to"] == "new.reader@example.com"]
    page.goto("about:blank")  # the link opens from the mail client: a fresh load, not a same-page fragment jump
    page.goto(message["link"])
    page.wait_for_selector("#form:not([hidden])")
    # Then the preferences are shown, confirmed, with the manage token in the fragment only
    assert page.locator("#status").inner_text() == "Thank you, your address is confirmed."
    assert page.get_by_label("Email address *").input_value() == "new.reader@example.com"
    assert page.get_by_label("New arrivals: Email").is_checked()
    assert "#token=v1." in page.url and "?token" not in page.url
    assert page.console_problems == []


def test_hostile_values_in_the_address_bar_and_the_stored_record_stay_text(page, dev_server):
    # Values the attacker controls: query parameters of the link, and what a user stored in a text attribute
    # (the sample's first_name pattern refuses < and >, so the payload breaks out of attributes instead).
    payload = '" autofocus onfocus="window.__xss=1" x="&#x3C;b'  # 50 characters at most
    link = dev_server["manage"].replace("#", "&lang=%22%3E%3Cimg%20src%3Dx%20onerror%3Dwindow.__xss%3D1%3E#", 1)
    page.goto(link)
    page.wait_for_selector("#form:not([hidden])")
    page.get_by_label("First name *").fill(payload)
    page.get_by_role("button", name="Save preferences").click()
    page.wait_for_selector("#status.success")
    page.reload()
    page.wait_for_selector("#form:not([hidden])")
    assert page.get_by_label("First name *").input_value() == payload
    assert page.evaluate("window.__xss") is None
    assert page.evaluate("document.querySelectorAll('img[onerror], [onfocus], b').length") == 0
    # a center id from the address bar only ever reaches the API as one encoded path segment
    page.goto(dev_server["manage"].replace("pc=default", "pc=..%2F..%2Fx%3Cimg%3E", 1))
    page.wait_for_selector("#error-view:not([hidden])")
    assert page.evaluate("window.__xss") is None and page.evaluate("document.images.length") <= 1
