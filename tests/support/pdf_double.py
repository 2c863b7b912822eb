"""A stand-in for WeasyPrint's ``HTML`` in the tests not marked ``pdf`` (tests/conftest.py).

WeasyPrint takes up to seconds a report; this takes a millisecond and still checks what the
final HTML must hold: only URLs the report's fetcher serves. Each URL the report would load
(its stylesheet, and the fonts that loads) is asked of that fetcher, so an outside URL fails
the test with ``FetchRefused`` and a
missing static file with ``MissingStaticFile``. It returns a one-page PDF, unique to the HTML.
"""

import hashlib
import io
import re
from html.parser import HTMLParser
from urllib.parse import urljoin

from pypdf import PdfWriter

from cases.reports.rendering import StaticFilesOnlyFetcher

CSS_URL = re.compile(r"""url\(\s*["']?([^"')\s]+)|@import\s+["']([^"']+)""")
# Attributes whose URL a renderer may load. A link (<a href>) is printed, never loaded, and
# "#id" points inside the document.
URL_ATTRIBUTES = {"src", "href", "data", "poster", "xlink:href"}
LETTER = (612, 792)  # points


def css_urls(css: str) -> list[str]:
    return [url or imported for url, imported in CSS_URL.findall(css)]


class _LoadedURLs(HTMLParser):
    """Collects the URLs of an HTML document's attributes, style attributes and <style>."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_style = tag == "style"
        for name, value in attrs:
            if not value:
                continue
            if name == "style":
                self.urls += css_urls(value)
            elif name in URL_ATTRIBUTES and tag != "a" and not value.startswith("#"):
                self.urls.append(value)

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.urls += css_urls(data)


class HTMLDouble:
    """Called as render_report calls WeasyPrint's ``HTML``."""

    def __init__(self, *, string: str, base_url: str, url_fetcher: StaticFilesOnlyFetcher):
        self.html = string
        self.base_url = base_url
        self.fetcher = url_fetcher

    def write_pdf(self) -> bytes:
        parser = _LoadedURLs()
        parser.feed(self.html)
        parser.close()
        self._load(parser.urls, self.base_url, set())

        writer = PdfWriter()
        writer.add_blank_page(*LETTER)
        writer.add_metadata({"/Subject": hashlib.sha256(self.html.encode()).hexdigest()})
        pdf = io.BytesIO()
        writer.write(pdf)
        return pdf.getvalue()

    def _load(self, urls: list[str], base_url: str, loaded: set[str]) -> None:
        for url in (urljoin(base_url, url) for url in urls):
            if url in loaded:
                continue
            loaded.add(url)
            response = self.fetcher.fetch(url)
            if response.content_type == "text/css":
                self._load(css_urls(response.read().decode()), url, loaded)
