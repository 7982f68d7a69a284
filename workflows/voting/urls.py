from django.urls import path

from . import views

app_name = "voting"

urlpatterns = [
    path("", views.vote_list, name="list"),
    path("<int:pk>/", views.vote_detail, name="detail"),
    path("<int:pk>/objection/", views.vote_objection, name="objection"),
    path("<int:pk>/result/", views.vote_result, name="result"),
    path("<int:pk>/proposal/", views.vote_proposal, name="proposal"),
]
