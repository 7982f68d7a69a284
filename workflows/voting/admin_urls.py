"""Admin URLs of vote management, mounted at /admin/voting/ by wagtail_hooks."""

from django.urls import path

from . import admin_views as views
from . import participation_views

app_name = "voting_admin"

urlpatterns = [
    path("", views.VoteIndexView.as_view(), name="index"),
    path("create/", views.VoteFormView.as_view(), name="create"),
    path("election/", views.ElectionCreateView.as_view(), name="create_election"),
    path("<int:pk>/", views.VoteDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.VoteFormView.as_view(), name="edit"),
    *(
        path(f"<int:pk>/{action}/", views.VoteActionView.as_view(), {"action": action}, name=action)
        for action in views.VoteActionView.actions
    ),
    path("<int:pk>/codes/", views.IssueCodesView.as_view(), name="codes"),
    path("<int:pk>/paper/", views.PaperBallotView.as_view(), name="paper"),
    path("<int:pk>/paper/<int:entry_pk>/void/", views.VoidPaperEntryView.as_view(), name="void"),
    path("<int:pk>/ballots/", views.BallotTrailView.as_view(), name="ballots"),
    path("<int:pk>/rerun/", views.RerunVoteView.as_view(), name="rerun"),
    path(
        "<int:pk>/participation/",
        participation_views.ParticipationView.as_view(),
        name="participation",
    ),
    path(
        "<int:pk>/participation/print/",
        participation_views.UnansweredHomesView.as_view(),
        name="unanswered_print",
    ),
    path("<int:pk>/reminder/", participation_views.ReminderNoticeView.as_view(), name="reminder"),
    path(
        "<int:pk>/participation/export/",
        participation_views.UnansweredHomesView.as_view(export_format="xlsx"),
        name="unanswered_export",
    ),
    path("<int:pk>/objections/", views.StaffObjectionView.as_view(), name="objection"),
    path(
        "<int:pk>/objections/<int:objection_pk>/answer/",
        views.AnswerObjectionView.as_view(),
        name="answer",
    ),
]
