from django.urls import path

app_name = "voting"

urlpatterns: list = []
