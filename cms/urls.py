from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from api.urls import urlpatterns as api_urlpatterns
from content_types.accounts import site_history
from content_types.accounts.views import AccountView
from content_types.roles import admin_views as scoped_admin_views
from content_types.roles.page_chooser import ScopedBrowseView, ScopedChosenMultipleView
from core import spreadsheets

from .media import serve_media
from .printing import print_page

urlpatterns = [
    # Wagtail's chooser shows any page these addresses name; ours keep to the reader's scope.
    path("admin/choose-page/<int:parent_page_id>/", ScopedBrowseView.as_view()),
    path("admin/choose-page/chosen-multiple/", ScopedChosenMultipleView.as_view()),
    # The move confirmation and the reports, within the reader's reach; every CSV export safe.
    path("admin/", include(scoped_admin_views)),
    path("admin/", include(site_history)),
    path("admin/", include(spreadsheets)),
    # Wagtail's account page asks for a first and a last name; ours takes a Chinese name whole.
    path("admin/account/", AccountView.as_view(), name="wagtailadmin_account"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("vote/", include("workflows.voting.urls")),
    path("survey/", include("workflows.surveys.urls")),
    path("excellent-firms/", include("content_types.evaluations.urls")),
    path("scope/", include("cms.public_site.urls")),
    path("screen/", include("api.screen_views")),
    path("kaoping/", include("content_types.scorecards.urls")),  # published 赛比争先 lists
    # Every public notice, disclosure, proposal and usage report as an A4 公示; a compound's poster.
    path("print/<int:page_id>/", print_page, name="print_page"),
    # Every media file, with its collection's view restrictions (see ``cms.media``).
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve_media, name="media"),
    *api_urlpatterns,
    path("", include(wagtail_urls)),
]
