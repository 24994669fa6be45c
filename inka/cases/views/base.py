"""What every case-work view starts with: the scoped fetch (other site → 404), then the role (→ 403),
then the restriction of the person (Art. 18 GDPR → 403 with its notice)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404

from inka.cases.access import CaseAccess, case_access, require_case_writer
from inka.cases.models import Case, Person
from inka.cases.services import require_counselling_consent, require_open
from inka.core.http import InkaRequest
from inka.privacy.access import refuse_if_restricted


def site_access_here(request: InkaRequest, *, write: bool = False) -> CaseAccess:
    """Access to the case work of the site the user works in now (403 without one)."""
    site_id = request.current_site_id
    if site_id is None:
        raise PermissionDenied
    return require_case_writer(request, site_id) if write else case_access(request, site_id)


def get_case(request: InkaRequest, pk: int, *, write: bool = False) -> tuple[Case, CaseAccess]:
    case: Case = get_object_or_404(Case.objects.select_related("person", "site", "caseworker"), pk=pk)
    access = require_case_writer(request, case.site_id) if write else case_access(request, case.site_id)
    refuse_if_restricted(case.person)
    return case, access


def get_person(request: InkaRequest, pk: int, *, write: bool = False) -> tuple[Person, CaseAccess]:
    person: Person = get_object_or_404(Person.objects.select_related("site"), pk=pk)
    access = require_case_writer(request, person.site_id) if write else case_access(request, person.site_id)
    refuse_if_restricted(person)
    return person, access


def write_blocker(case: Case) -> str:
    """Why nothing can be written on the case now, if so: said before the user fills in a form."""
    try:
        require_open(case)
        require_counselling_consent(case)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""
