"""The minutes of a meeting (or, before it, the agenda) as a tagged, accessible PDF (PDF/UA-1)."""

from typing import Any

import weasyprint  # type: ignore[import-untyped]
from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from inka.steering.models import Meeting, MeetingStatus


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
    raise ValueError(f"The minutes PDF loads nothing from outside: {url}")


def title_of(meeting: Meeting) -> str:
    if meeting.status == MeetingStatus.HELD:
        return _("Minutes of the steering group")
    return _("Agenda of the steering group")


def file_name(meeting: Meeting) -> str:
    kind = "protokoll" if meeting.status == MeetingStatus.HELD else "tagesordnung"
    return f"{kind}-steuerungsgruppe-{meeting.group.site.code.lower()}-{meeting.held_on.isoformat()}.pdf"


def meeting_pdf(request: HttpRequest, context: dict[str, Any]) -> bytes:
    """The meeting page's content laid out for print."""
    meeting: Meeting = context["meeting"]
    html = render_to_string(
        "steering/meeting_pdf.html",
        {
            **context,
            "title": title_of(meeting),
            "page_counter": page_counter_css(),
            "footer_css": css_string(f"{title_of(meeting)} · {meeting.group.name}"),
        },
        request=request,
    )
    # Nothing is fetched while rendering: the page has no images, and text typed by users never
    # becomes a URL the renderer would load.
    document = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=_refuse)
    return bytes(document.write_pdf(pdf_variant="pdf/ua-1"))
