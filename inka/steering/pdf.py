"""The minutes of a meeting (or, before it, the agenda) as a tagged, accessible PDF (PDF/UA-1)."""

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from inka.core.pdf import css_string, html_to_pdf, page_counter_css
from inka.steering.models import Meeting, MeetingStatus


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
    return html_to_pdf(html)
