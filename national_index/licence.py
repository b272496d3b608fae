"""The licence of every figure the platform publishes (docs/decisions/0031-open-data-files.md): the open data files,
the Stand's CSV, a yearly edition's CSV and a report name it alike."""

LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENCE_NAME = "CC BY 4.0"


def with_licence(response):
    """``response`` with the licence as an HTTP ``Link`` header (``rel="license"``)."""
    response["Link"] = f'<{LICENCE_URL}>; rel="license"'
    return response
