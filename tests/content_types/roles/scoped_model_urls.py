"""The site's URLs, plus the admin of the test-only ``Noticeboard`` (see ``scoped_model``)."""

from django.urls import include, path

from cms.urls import urlpatterns as site_urlpatterns

from .scoped_model import noticeboard_viewset

chooser_viewset = noticeboard_viewset.chooser_viewset

urlpatterns = [
    *(
        path(
            f"admin/{viewset.url_prefix}/",
            include(
                (viewset.get_urlpatterns(), viewset.url_namespace),
                namespace=viewset.url_namespace,
            ),
        )
        for viewset in (noticeboard_viewset, chooser_viewset)
    ),
    *site_urlpatterns,
]
