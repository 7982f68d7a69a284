from django.urls import path

from .views import notices

app_name = "public_site"
urlpatterns = [
    path("<int:scope_id>/", notices, name="notices"),
    path("<int:scope_id>/archive/", notices, {"archive": True}, name="notice_archive"),
]
