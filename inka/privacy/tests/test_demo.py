"""The demo's data-protection part: a register to look at and one restricted person at ALT."""

import pytest

from inka.cases.models import Case, Person
from inka.core.demo import demo_generate
from inka.privacy.models import ContestedValue, DataSubjectRequest, RequestKind


@pytest.mark.django_db
def test_demo_has_requests_a_contested_birth_date_and_a_restricted_person_without_open_work():
    demo_generate(scale=0.02)
    kinds = sorted(DataSubjectRequest.objects.filter(site__code="ALT").values_list("kind", flat=True))
    assert kinds == sorted([RequestKind.ACCESS, RequestKind.RECTIFICATION, RequestKind.ERASURE])
    contested = ContestedValue.objects.get()
    assert (contested.field_name, contested.resolved_on) == ("birth_date", None)
    restricted = Person.objects.get(restricted_at__isnull=False)
    assert restricted.data_subject_requests.get().kind == RequestKind.ERASURE
    assert not restricted.cases.filter(status=Case.Status.OPEN).exists()
    assert not restricted.participations.exists()
