"""Serving uploaded files (docs/architecture.md, "Files and media").

Every portal's uploads live in ``MEDIA_ROOT/<schema>/`` (django-tenants' ``TenantFileSystemStorage``) and
are addressed as ``/media/<schema>/<name>``. This view serves such a file only on a host of the portal whose
schema it names: the request is already routed to that portal, so a file of another portal, a path that
climbs out of the folder (``..``, a symbolic link) or anything that is not a regular file is a 404. The
``documents/`` folder is never served here: documents go through Wagtail's document view
(``/documenten/<id>/<filename>``), which checks the collection's privacy first.

The bytes go out through ``settings.SENDFILE_BACKEND``, the same backend Wagtail's document view uses: the
file streamed by Django, or an ``X-Accel-Redirect`` to nginx's internal location
(``MAEX_MEDIA_SERVE_METHOD``, see ``maex/sendfile_nginx.py``).
"""

from __future__ import annotations

import os

from django.core.files.storage import default_storage
from django.db import connection
from django.http import Http404
from django.views.decorators.http import require_safe
from django_tenants.utils import get_public_schema_name
from wagtail.utils.sendfile import sendfile

# Folders of the storage that are never served as plain media: Wagtail stores documents here, and a
# document may sit in a login-only collection.
PRIVATE_FOLDERS = frozenset({"documents"})


def media_file(schema: str, path: str) -> str | None:
    """The absolute path of ``path`` (``<schema>/<name>``, as in the URL) if it may be served to a visitor
    of the portal with this schema; else None. Pure checks on the path, then one look at the disk."""
    if not schema or "\x00" in path or "\\" in path:
        return None
    parts = path.split("/")
    if len(parts) < 2 or parts[0] != schema or parts[1] in PRIVATE_FOLDERS:
        return None
    if any(part in ("", ".", "..") for part in parts):
        return None
    root = os.path.realpath(default_storage.location)
    if os.path.basename(root) != schema:  # the storage is the current portal's folder, or nothing is served
        return None
    full = os.path.realpath(os.path.join(root, *parts[1:]))
    if os.path.commonpath([root, full]) != root or not os.path.isfile(full):
        return None
    return full


@require_safe
def serve_media(request, path: str):
    """An image, rendition or other upload of the current portal (never a document)."""
    schema = connection.schema_name
    full = media_file(schema, path) if schema != get_public_schema_name() else None
    if full is None:
        raise Http404("No such file on this portal.")
    response = sendfile(request, full, attachment=False)
    # A stored file never runs as a page of the portal (an uploaded SVG or HTML cannot script it).
    response["Content-Security-Policy"] = "default-src 'none'"
    return response
