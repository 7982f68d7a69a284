"""Admin URLs of survey management, mounted at /admin/surveys/ by wagtail_hooks."""

from django.urls import path

from . import admin_views as views

app_name = "surveys_admin"

urlpatterns = [
    path("", views.SurveyIndexView.as_view(), name="index"),
    path("create/", views.SurveyCreateView.as_view(), name="create"),
    path("<int:pk>/", views.SurveyDetailView.as_view(), name="detail"),
    path("<int:pk>/open/", views.OpenSurveyView.as_view(), name="open"),
    path("<int:pk>/codes/", views.IssueCodesView.as_view(), name="codes"),
    path("<int:pk>/paper/", views.PaperAnswerView.as_view(), name="paper"),
    path("<int:pk>/paper/<int:entry_pk>/void/", views.VoidEntryView.as_view(), name="void"),
]
