"""Tagged, accessible PDFs (PDF/UA-1) from HTML, and the page furniture every INKA PDF shares."""

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _


def css_string(text: str) -> str:
    """`text` as a quoted CSS string; also safe inside <style> (no "<" or ">" survives)."""
    escaped = "".join(f"\\{ord(char):x} " if char in '\\"<>\n\r' else char for char in text)
    return f'"{escaped}"'


def page_counter_css() -> str:
    """The CSS `content` of "Page X of Y" in the active language, with the counters in place."""
    text = _("Page %(page)s of %(pages)s")
    parts: list[str] = []
    for piece in text.replace("%(pages)s", "\0pages\0").replace("%(page)s", "\0page\0").split("\0"):
        if piece in ("page", "pages"):
            parts.append(f"counter({piece})")
        elif piece:
            parts.append(css_string(piece))
    return " ".join(parts)


def _refuse(url: str, *args: Any, **kwargs: Any) -> Any:
    raise ValueError(f"INKA's PDFs load nothing from outside: {url}")


def html_to_pdf(html: str, *, stylesheets: Sequence[str] = ()) -> bytes:
    """The page as PDF/UA-1; nothing is fetched while rendering (text typed by users never becomes a
    URL the renderer would load), so images must be inline SVG and stylesheets local files."""
    import weasyprint  # type: ignore[import-untyped]  # slow to import; only needed here

    document = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=_refuse)
    css = [weasyprint.CSS(filename=path) for path in stylesheets]
    return bytes(document.write_pdf(stylesheets=css, pdf_variant="pdf/ua-1"))
