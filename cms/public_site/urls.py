from django.urls import path

from .views import archived_notice, notices

app_name = "public_site"
urlpatterns = [
    path("<int:scope_id>/", notices, name="notices"),
    path("<int:scope_id>/archive/", notices, {"archive": True}, name="notice_archive"),
    path("<int:scope_id>/archive/<int:notice_id>/", archived_notice, name="archived_notice"),
]
