"""QR codes as inline SVG (no image files, no script), for phones to scan."""

from __future__ import annotations

import segno
from markupsafe import Markup


def qr_svg(text: str, title: str) -> Markup:
    """``text`` as an inline SVG QR code with an accessible title."""
    return Markup(segno.make(text, error="m").svg_inline(scale=5, title=title))  # noqa: S704
