"""The link's QR code as an inline SVG (the ``qrcode`` package, as the authenticator app's
code is drawn): printed on paper or shown on the screen for the patient's phone to scan."""

import qrcode  # type: ignore[import-untyped]
import qrcode.image.svg  # type: ignore[import-untyped]
from django.utils.safestring import SafeString, mark_safe


def qr_svg(url: str) -> SafeString:
    """An SVG of the URL's QR code, sized by its container. The SVG is made by the library
    from the URL alone (letters and digits we wrote): nothing a user typed is in it."""
    code = qrcode.QRCode(
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=4,
    )
    code.add_data(url)
    svg = code.make_image().to_string(encoding="unicode")
    # Sized by the page's stylesheet, not in millimetres; named for screen readers.
    svg = svg.replace("<svg ", '<svg role="img" aria-label="QR code of the link" class="qr" ', 1)
    return mark_safe(svg)  # noqa: S308 (made above from our own URL)
