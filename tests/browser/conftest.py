"""Real headless Chromium (Debian's package) driven by Playwright.

Where Chromium is missing the browser tests are skipped, and ``make test``
says so loudly; in CI (CI=true) a missing Chromium fails instead.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM}: browser tests skipped"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; Django's ORM
    # calls made by the test itself are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - only once Chromium is known to be there

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True
        )
        yield browser
        browser.close()


# Every frame of every page reports what its Content-Security-Policy refused.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
    console.error(`CSP violation: ${event.effectiveDirective} refused ${event.blockedURI}`
        + ` at ${event.documentURI}:${event.lineNumber} ${event.sample}`);
});
"""


@pytest.fixture
def page(chromium) -> Iterator[object]:
    """A fresh page; the test fails if anything it showed broke the Content-Security-Policy."""
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    violations = []

    def note_violation(message) -> None:
        if "CSP violation" in message.text or "Content Security Policy" in message.text:
            violations.append(message.text)

    context.on("console", note_violation)
    page = context.new_page()
    yield page
    context.close()
    assert violations == [], "\n".join(violations)
