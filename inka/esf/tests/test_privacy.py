"""Special categories in ESF participation (disability, minority, other disadvantage, foreign
background; Art. 9 GDPR): readers never see their values or labels, on any page; those who work on
the case do."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from inka.cases.tests.factories import make_case, make_person
from inka.core.models import AccessLogEntry
from inka.esf import services
from inka.esf.forms import SPECIAL_ITEMS
from inka.esf.models import Participation

ENTRY = date(2024, 2, 1)


@pytest.fixture
def special(world):
    worker = world.user("caseworker")
    case = make_case(world.site_a, worker, make_person(world.site_a))
    participation = services.participation_start(actor=worker, case=case, entry_date=ENTRY)
    services.participation_update_entry(
        actor=worker,
        participation=participation,
        labour_status_at_entry="INACTIVE",
        in_education_or_training_at_entry=False,
        disability="YES",
        minority="YES",
        other_disadvantaged="YES",
        third_country_national="NO",
        sensitive_asked_on=ENTRY,
    )
    services.participation_exit(actor=worker, participation=participation, exit_date=date(2024, 3, 31))
    return participation


def special_words():
    """The labels of the special-category items, in English and German."""
    words = set()
    for language in ["en", "de"]:
        with translation.override(language):
            words |= {str(Participation._meta.get_field(name).verbose_name) for name in SPECIAL_ITEMS}
    return sorted(words)


def test_the_special_items_are_the_ones_the_registry_marks():
    assert sorted(SPECIAL_ITEMS) == ["disability", "foreign_background", "minority", "other_disadvantaged"]


def reader_pages(participation):
    return [
        reverse("esf:participation_detail", args=[participation.pk]),
        participation.case.get_absolute_url(),
        reverse("cases:case_history", args=[participation.case.pk]),
        reverse("esf:participation_list") + "?show=all",
    ]


def test_readers_never_see_special_categories(world, login, special):
    client = login(world.user("reader"))
    for url in reader_pages(special):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "Müller" in html, url
        for word in special_words():
            assert word.lower() not in html.lower(), (url, word)
        for name in SPECIAL_ITEMS:
            assert f'name="{name}"' not in html, (url, name)
    # The read-only questionnaire holds every other item, with its answer.
    html = client.get(reverse("esf:participation_detail", args=[special.pk])).content.decode()
    with translation.override("de"):
        label = str(Participation._meta.get_field("third_country_national").verbose_name)
        assert label.lower() in html.lower()


def test_readers_do_not_get_the_questionnaire_form(world, login, special):
    client = login(world.user("reader"))
    assert client.get(reverse("esf:entry_edit", args=[special.pk])).status_code == 403
    response = client.post(reverse("esf:entry_edit", args=[special.pk]), {"entry_date": "2024-02-01"})
    assert response.status_code == 403
    assert Participation.objects.get().disability == "YES"


def test_caseworkers_see_and_edit_the_special_categories(world, login, special):
    client = login(world.user("caseworker"))
    html = client.get(reverse("esf:participation_detail", args=[special.pk])).content.decode()
    with translation.override("de"):
        for name in SPECIAL_ITEMS:
            assert str(Participation._meta.get_field(name).verbose_name).lower() in html.lower()
    form = client.get(reverse("esf:entry_edit", args=[special.pk])).context["form"]
    assert set(SPECIAL_ITEMS) <= set(form.fields)
    assert form["disability"].initial == "YES"


def test_the_access_log_holds_no_field_values(world, login, special):
    login(world.user("reader")).get(reverse("esf:participation_detail", args=[special.pk]))
    (entry,) = AccessLogEntry.objects.all()
    stored = str(entry.__dict__)
    for word in ["Müller", "Jürgen", "YES", "INACTIVE"]:
        assert word not in stored
