"""What every public page must pass in a real browser, for any list of addresses.

``axe_violations`` runs axe-core (bundled by axe-playwright-python, no outside host) on each
address and returns the serious and critical violations by address. ``compressed_weight`` is
what a page costs an owner's phone before images: every other response it loads (the page,
styles, scripts, fonts, data), each counted gzip-compressed as WhiteNoise serves static files
(brotli, where the browser takes it, is smaller still).
"""

from __future__ import annotations

import gzip
from typing import TYPE_CHECKING

from axe_playwright_python.sync_playwright import Axe

if TYPE_CHECKING:
    from collections.abc import Iterable

BLOCKING_IMPACTS = ("serious", "critical")
# Page weight is counted before images: a photo's size is the uploader's, not the page's.
NOT_WEIGHED = {"image", "media"}

_axe = Axe()


def axe_violations(page, urls: Iterable[str]) -> dict[str, list[str]]:
    """The serious and critical axe-core violations of each address, described to be fixed."""
    found: dict[str, list[str]] = {}
    for url in urls:
        response = page.goto(url)
        assert response is not None and response.ok, f"{url}: {response and response.status}"
        results = _axe.run(page).response
        problems = [
            f"{rule['id']} ({rule['impact']}): {rule['help']} — "
            + "; ".join(", ".join(node["target"]) for node in rule["nodes"])
            for rule in results["violations"]
            if rule["impact"] in BLOCKING_IMPACTS
        ]
        if problems:
            found[url] = problems
    return found


def compressed_weight(page, url: str) -> dict[str, int]:
    """Each non-image response of ``url``, once it has loaded, by address: its gzip size."""
    responses = []

    def note(response) -> None:
        responses.append(response)

    page.on("response", note)
    try:
        page.goto(url, wait_until="networkidle")
    finally:
        page.remove_listener("response", note)
    return {
        response.url: len(gzip.compress(response.body(), compresslevel=9))
        for response in responses
        if response.request.resource_type not in NOT_WEIGHED and response.status < 300
    }
