"""Media files, served with the view restrictions of the collection they belong to.

Why: Wagtail keeps images (originals and renditions) and documents under ``MEDIA_ROOT``. A web
server serving that folder as it is gives the files of a collection under a view restriction
(login, password or groups) to anyone who has or guesses an address, although neither Wagtail
nor the API lists them. So every media address is answered here: the file is looked up as the
image, rendition or document it belongs to, and its collection's restrictions are checked as
Wagtail checks them for documents (``check_view_restrictions``: a login or password page when
they are not met). Only the restriction decides: permission to choose or change a collection's
files is no licence to read those under a restriction that names other people, and the
choosers do not offer them (``readable``). A file that belongs to no image, rendition or
document is not served at all.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponseNotModified
from django.utils._os import safe_join
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date
from django.views.static import was_modified_since
from wagtail.documents import get_document_model
from wagtail.documents.wagtail_hooks import check_view_restrictions
from wagtail.images import get_image_model
from wagtail.models import CollectionViewRestriction

if TYPE_CHECKING:
    from django.http.response import HttpResponseBase

PUBLIC_MAX_AGE = 24 * 60 * 60


def _image(name: str) -> Any | None:
    return get_image_model().objects.filter(file=name).select_related("collection").first()


def _rendition(name: str) -> Any | None:
    rendition_model = get_image_model().get_rendition_model()
    found = rendition_model.objects.filter(file=name).select_related("image__collection").first()
    return found.image if found is not None else None


def _document(name: str) -> Any | None:
    return get_document_model().objects.filter(file=name).select_related("collection").first()


def owner_of(name: str) -> Any | None:
    """The image or document whose file ``name`` is (for a rendition, its image).

    Wagtail's folders (``images/`` for renditions, ``original_images/``, ``documents/``) only
    say where to look first: one query for a file where Wagtail put it.
    """
    lookups = [_rendition, _image, _document]
    if name.startswith("original_images/"):
        lookups = [_image, _rendition, _document]
    elif name.startswith("documents/"):
        lookups = [_document, _image, _rendition]
    for lookup in lookups:
        found = lookup(name)
        if found is not None:
            return found
    return None


def readable(items: QuerySet, request: HttpRequest) -> QuerySet:
    """``items`` (images or documents) without those under a restriction ``request`` fails."""
    refused = Q()
    restrictions = CollectionViewRestriction.objects.select_related("collection")
    for restriction in restrictions.prefetch_related("groups"):
        if not restriction.accept_request(request):
            refused |= Q(collection__path__startswith=restriction.collection.path)
    return items.exclude(refused) if refused else items


def serve_media(request: HttpRequest, path: str) -> HttpResponseBase:
    name = posixpath.normpath(path)
    if name != path or name.startswith(("/", "..")):
        raise Http404
    try:
        file = Path(safe_join(settings.MEDIA_ROOT, name))
    except SuspiciousFileOperation as outside:
        raise Http404 from outside
    owner = owner_of(name)
    if owner is None or not file.is_file():
        raise Http404
    restricted = owner.collection.get_view_restrictions().exists()
    if restricted:
        refused = check_view_restrictions(owner, request)
        if refused is not None:
            return refused
    modified = file.stat().st_mtime
    if not was_modified_since(request.META.get("HTTP_IF_MODIFIED_SINCE"), int(modified)):
        return HttpResponseNotModified()
    # FileResponse names the type by the file's name and sets its length.
    response = FileResponse(file.open("rb"))
    response["Last-Modified"] = http_date(modified)
    if restricted:
        response["Cache-Control"] = "private, no-cache"
        patch_vary_headers(response, ["Cookie"])
    else:
        response["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    return response
