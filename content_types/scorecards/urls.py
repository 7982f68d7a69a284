from django.urls import path

from .views import honours

urlpatterns = [path("<str:key>/", honours, name="scorecard_honours")]
