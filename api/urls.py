from django.conf import settings
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from .schema import schema
from .views import ApiView

urlpatterns = [
    path(
        "graphql/",
        csrf_exempt(ApiView.as_view(schema=schema, graphiql=settings.DEBUG)),
        name="graphql",
    ),
]
