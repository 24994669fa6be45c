"""The minutes as a tagged PDF with German dates and page numbers."""

import io

from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext
from pypdf import PdfReader

from inka.steering.pdf import css_string, page_counter_css


def pdf_of(client, meeting):
    response = client.get(reverse("steering:meeting_minutes_pdf", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response, PdfReader(io.BytesIO(response.content))


def text_of(reader):
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_minutes_pdf_is_tagged_and_holds_decisions_and_action_items(world, login, held):
    response, reader = pdf_of(login(world.user("steering")), held)
    assert response["Content-Disposition"].startswith('inline; filename="protokoll-steuerungsgruppe-nord-')
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    text = " ".join(text_of(reader).split())
    assert "Das Stadtteilfest findet im September statt." in text
    assert "Genehmigung für das Stadtteilfest beantragen" in text
    assert "Anna Berger" in text  # present, and the owner of the action item
    item = held.action_items.get()
    with translation.override("de"):  # the language of the request
        assert formats.date_format(held.held_on, "DATE_FORMAT") in text  # "14. November 2026"
        assert formats.date_format(item.due_on, "SHORT_DATE_FORMAT") in text
        assert gettext("Page %(page)s of %(pages)s") % {"page": 1, "pages": len(reader.pages)} in text


def test_the_agenda_pdf_lists_open_items_of_earlier_meetings(
    world, login, group, members, held, make_meeting
):
    from datetime import timedelta

    from inka.steering.models import MeetingStatus
    from inka.steering.tests.conftest import today

    following = make_meeting(group, held_on=today() + timedelta(days=60), status=MeetingStatus.PLANNED)
    following.agenda.create(position=1, title="Offene Aufgaben")
    response, reader = pdf_of(login(world.user("caseworker")), following)
    assert 'filename="tagesordnung-steuerungsgruppe-nord-' in response["Content-Disposition"]
    text = " ".join(text_of(reader).split())
    assert "Offene Aufgaben" in text and "Genehmigung für das Stadtteilfest beantragen" in text


def test_page_numbers_follow_the_language():
    with translation.override("en"):
        assert page_counter_css() == '"Page " counter(page) " of " counter(pages)'


def test_css_strings_cannot_leave_the_style_sheet():
    assert css_string('Nord</style><img src="x">') == r'"Nord\3c /style\3e \3c img src=\22 x\22 \3e "'
