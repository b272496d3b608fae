"""A ``SENDFILE_BACKEND`` for nginx (``MAEX_MEDIA_SERVE_METHOD=nginx``).

Django decides whether a file may be served (the portal, the document's collection); nginx sends the bytes.
The response carries ``X-Accel-Redirect: <MEDIA_INTERNAL_URL><path below MEDIA_ROOT>``, which nginx
answers from an ``internal`` location aliased to ``MEDIA_ROOT`` (README, "Serving media in production").
The signature is the one ``wagtail.utils.sendfile`` calls.
"""

import os
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse


def sendfile(request, filename, **kwargs):
    root = os.path.realpath(settings.MEDIA_ROOT)
    relative = os.path.relpath(os.path.realpath(filename), root)
    if relative.startswith(".."):
        raise ValueError(f"{filename} is not below MEDIA_ROOT")
    response = HttpResponse()
    response["X-Accel-Redirect"] = settings.MEDIA_INTERNAL_URL + quote(relative.replace(os.sep, "/"))
    return response
