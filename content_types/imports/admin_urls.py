"""Admin URLs of the Excel imports, mounted at /admin/imports/ by wagtail_hooks."""

from django.urls import path

from . import views

app_name = "imports_admin"

urlpatterns = [
    path("", views.ImportIndexView.as_view(), name="index"),
    path("<str:kind>/new/", views.ImportFormView.as_view(), name="new"),
    path("<str:kind>/template.xlsx", views.TemplateDownloadView.as_view(), name="template"),
    path("jobs/<int:pk>/", views.ImportJobView.as_view(), name="job"),
    path("jobs/<int:pk>/progress/", views.ImportProgressView.as_view(), name="progress"),
]
