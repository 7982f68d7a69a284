from django.conf import settings
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from .limits import PublicApiView
from .schema import schema

urlpatterns = [
    path(
        "graphql/",
        csrf_exempt(PublicApiView.as_view(schema=schema, graphiql=settings.DEBUG)),
        name="graphql",
    ),
]
