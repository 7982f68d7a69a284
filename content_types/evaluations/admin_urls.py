"""Admin URLs of the evaluations, mounted at /admin/evaluations/ by wagtail_hooks."""

from django.urls import path

from . import admin_views as views

app_name = "evaluations_admin"

urlpatterns = [
    path("", views.ScoresView.as_view(), name="scores"),
    path("scores/<int:pk>/", views.ScoreDetailView.as_view(), name="score"),
    path("periods/", views.PeriodsView.as_view(), name="periods"),
    path("periods/<int:pk>/close/", views.ClosePeriodView.as_view(), name="close"),
    path("evaluations/", views.EvaluationsView.as_view(), name="evaluations"),
    path(
        "evaluations/<int:period>/<int:compound>/<int:firm>/<str:evaluator>/",
        views.EvaluateView.as_view(),
        name="evaluate",
    ),
]
