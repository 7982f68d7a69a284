"""The street as the public site at a test server's address, so pages' own links lead there."""

from __future__ import annotations

from urllib.parse import urlsplit

from wagtail.models import Page, Site


def site_at(base_url: str, root_page: Page) -> Site:
    """The default Site at ``base_url`` (scheme, host and port), rooted at ``root_page``."""
    address = urlsplit(base_url)
    site = Site.objects.create(
        hostname=address.hostname,
        port=address.port,
        root_page=root_page,
        is_default_site=True,
        site_name="百官街道",
    )
    Site.clear_site_root_paths_cache()
    return site
