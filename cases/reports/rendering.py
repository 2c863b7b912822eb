"""HTML → PDF with WeasyPrint, fetching nothing but the project's own static files.

User text reaches the HTML only through Django's autoescaping, so it can never become an
element that loads something; the fetcher is the second wall: whatever URL WeasyPrint asks
for, only files under ``/static/`` of our own made-up origin are served.
"""

import hashlib
import logging
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils._os import safe_join
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# Relative URLs in report templates resolve against this origin. The .invalid top-level
# domain never resolves (RFC 2606), so even a fetcher bug could not reach a real host.
REPORT_ORIGIN = "https://reports.mmi-tracker.invalid"
STATIC_PREFIX = "/static/"


# The footer's words that say when the document was generated: left out of the content's
# hash, so two renderings of the same content hash alike. User text is autoescaped, so a
# literal "<span" from it never appears in the HTML: the marker is the template's own.
GENERATED = re.compile(r"<span data-generated>[^<]*</span>")


class FetchRefused(ValueError):
    """WeasyPrint asked for something that is not one of our static files."""


class MissingStaticFile(FatalURLFetchingError):
    """A report asked for one of our static files and it is not there: a deployment bug,
    so the rendering stops instead of printing without its font or stylesheet."""


def static_path(url: str) -> str | None:
    """The path under the static root that ``url`` names, or None for any other URL."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != REPORT_ORIGIN or parts.query:
        return None
    if not parts.path.startswith(STATIC_PREFIX):
        return None
    return unquote(parts.path.removeprefix(STATIC_PREFIX))


def find_static_file(path: str) -> Path | None:
    """The file for a static path: from the app's static folders (development and tests) or
    STATIC_ROOT (after collectstatic, with hashed names); never outside them."""
    try:
        found = finders.find(path)
        if found:
            return Path(found)
        collected = Path(safe_join(settings.STATIC_ROOT, path))
    except SuspiciousFileOperation:
        return None
    return collected if collected.is_file() else None


class StaticFilesOnlyFetcher(URLFetcher):
    """Serves ``/static/...`` of the report origin from our static files; refuses the rest.

    ``served`` and ``refused`` list the URLs asked for, so tests and logs can show that
    nothing else was fetched.
    """

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("https",), allow_redirects=False)
        self.served: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        path = static_path(url)
        if path is None:
            self.refused.append(url)
            logger.warning("Report rendering refused to fetch %r", url[:200])
            raise FetchRefused(f"Reports may load only the project's static files, not {url!r}.")
        found = find_static_file(path)
        if found is None:
            raise MissingStaticFile(f"The static file {path!r} a report needs is missing.")
        self.served.append(url)
        content_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, found.read_bytes(), {"Content-Type": content_type})


@dataclass(frozen=True)
class RenderedReport:
    html: str
    pdf: bytes
    content_sha256: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


def render_report(
    template_name: str, context: dict, *, fetcher: StaticFilesOnlyFetcher | None = None
) -> RenderedReport:
    """Render a report template to HTML and then to a Letter-size PDF.

    ``content_sha256`` is the SHA-256 of the HTML but for when it was generated
    (``GENERATED``): every other word the reader sees, kept on the stored rendering, so a
    rendering that reads the same is known as such. It is not printed: a PDF cannot print
    the hash of its own bytes (printing it would change them), and one number to compare is
    enough, so the footer asks the reader to compare the file's SHA-256 with the one listed
    beside its download.
    """
    html: str = render_to_string(template_name, context)
    content_sha256 = hashlib.sha256(GENERATED.sub("", html).encode()).hexdigest()
    pdf = HTML(
        string=html,
        base_url=f"{REPORT_ORIGIN}/",
        url_fetcher=fetcher or StaticFilesOnlyFetcher(),
    ).write_pdf()
    return RenderedReport(html=html, pdf=pdf, content_sha256=content_sha256)
