"""Demo part of ESF: participations with entry questionnaire, stays, results and six-month follow-up.

Builds on the case-work demo (`ctx.cases`) and on the job outcomes of the job-integration demo, both of
which run before this app (INSTALLED_APPS order). About half of the persons with a case take part:
everyone with an ESF consent, 40 % of the others, hardly anyone without a date of birth; anonymous
contacts have no case and never do. The entry is the opening of the person's first case at the site
(or a few days later), the exit the closing of the last one; a person who came back re-entered (two
stays). Pupils of holiday workshops, recorded without a case, are the participants under 18. What it
comes to at scale 1 (shares of participations unless said otherwise):

* labour status at entry: 56 % unemployed (58 % of them long-term, some just at the thresholds),
  29 % inactive (pensioners, carers, pupils), 16 % employed (a tenth self-employed);
* ISCED: derived from the certificates, given directly for 3 % (foreign degrees); 34 % ISCED 0–2,
  53 % ISCED 3–4, 14 % ISCED 5–8;
* sensitive items asked for 97 %; 8 % refuse the special categories (disability, minority, other
  disadvantage), 2 % one other item; rural for a quarter, from the sites in small towns and villages;
* 5 % incomplete (date of birth, ISCED, status or the data that go with it) for the completeness list;
* leavers: the situation after leaving from the case's job outcomes (a job running at the exit or taken
  up within 28 days is "employed", linked to the outcome), otherwise mostly job searching or inactive; 5 %
  "Keine Angabe möglich" with a reason; training and qualifications from the outcomes; the six-month
  follow-up for nine in ten whose reference date has passed, a fifth of them without response.

Everything is built in memory and written with one INSERT per model and batch, as the case-work demo
does; no services run and no audit entries are written. The same seed gives the same data.
"""

from collections import defaultdict
from dataclasses import dataclass, field, fields
from datetime import date, timedelta

from django.utils import timezone

from inka.cases.demo import _insert, _insert_objects, _Pick
from inka.cases.models import Case, CaseNeed, Consent, Disability, Person, ResidenceStatus, Topic
from inka.core.demo import DemoContext
from inka.employment.models import JobOutcome
from inka.esf.codes import (
    Answer,
    ExitEventType,
    FollowUpStatus,
    ImprovementReason,
    LabourStatus,
    Rural,
    SchoolCertificate,
    VocationalQualification,
)
from inka.esf.completeness import missing_fields
from inka.esf.engine import add_months
from inka.esf.models import EducationStart, ExitEvent, Participation, Qualification, Stay
from inka.esf.selectors import participation_record
from inka.programme.models import Site

# --- Who takes part -------------------------------------------------------------------------------

WITH_CONSENT_SHARE = 1.0  # an ESF consent was taken for exactly this
OTHERS_SHARE = 0.4
WITHOUT_BIRTH_DATE_SHARE = 0.05  # the questionnaire asks for it: without one, few were registered
REENTRY_SHARE = 0.5  # of persons with an earlier case at the site: that case was a first stay
# Youth workshops (pupils of 15–17, "Ferienwerkstatt Berufsorientierung") per site and year: the case
# work has nobody under 18, and without them the ESF+ indicator for children (EECO05) would stay 0.
YOUTH_GROUPS_PER_SITE_YEAR = 0.5
YOUTH_GROUP_SIZE = (3, 7)
PUPIL_GENDER = _Pick(("F", 49), ("M", 49), ("X", 2))
# (month, first day, last day, weight): winter holidays, the last weeks before the summer holidays
# (school leavers, who get their certificate then), autumn holidays.
WORKSHOP_HOLIDAYS = [(2, 1, 14, 15), (6, 15, 30, 60), (10, 1, 15, 25)]
SCHOOL_LEAVER_SHARE = 0.5  # of the pupils of 16 and 17 in a June workshop
PERSONA = ("ALT", "lotse.alt")  # the demo login whose work list shows follow-ups and gaps
PERSONA_INCOMPLETE = 3

# --- Entry questionnaire ------------------------------------------------------------------------

L = LabourStatus
SC = SchoolCertificate
VQ = VocationalQualification
YOUNG = 25  # below: the long-term threshold is 6 months, not 12
PENSION_AGE = 65
STATUS_YOUNG = _Pick((L.UNEMPLOYED, 45), (L.INACTIVE, 40), (L.EMPLOYED, 15))
STATUS_ADULT = _Pick((L.UNEMPLOYED, 62), (L.INACTIVE, 20), (L.EMPLOYED, 18))
STATUS_WORK_NEED = _Pick((L.UNEMPLOYED, 78), (L.INACTIVE, 10), (L.EMPLOYED, 12))  # came about work
STATUS_PENSIONER = _Pick((L.INACTIVE, 92), (L.EMPLOYED, 8))  # the employed ones have a Minijob
ENTRY_ON_OPENING_SHARE = 0.75  # the others filled in the questionnaire up to two weeks later
SELF_EMPLOYED_SHARE = 0.1  # of the employed
# Of the inactive, by young (< 25) or not: pupils, students and pre-vocational courses among the young;
# later mostly carers, the sick and those not registered as unemployed.
IN_EDUCATION_SHARE = {True: 0.55, False: 0.05}
# Months of registered unemployment at entry, with the cases right at the long-term thresholds
# (exactly 6 / 12 months is not long-term under the EU rule, one day more is).
MONTHS_YOUNG = _Pick(
    (("months", 1, 5), 40), (("exactly", 0, 0), 8), (("just_over", 0, 0), 7), (("months", 7, 30), 45)
)
MONTHS_ADULT = _Pick(
    (("months", 1, 11), 30),
    (("just_under", 0, 0), 6),
    (("exactly", 0, 0), 6),
    (("months", 13, 36), 33),
    (("months", 37, 120), 25),
)
SCHOOL_GERMAN = _Pick(
    (SC.NEVER_ATTENDED, 0.5),
    (SC.NONE, 8),
    (SC.HAUPTSCHULE, 27),
    (SC.MITTLERE_REIFE, 45),
    (SC.FACHHOCHSCHULREIFE, 6),
    (SC.ABITUR, 13.5),
)
# Foreign certificates are recorded by their German equivalent.
SCHOOL_FOREIGN = _Pick(
    (SC.NEVER_ATTENDED, 8),
    (SC.NONE, 15),
    (SC.HAUPTSCHULE, 20),
    (SC.MITTLERE_REIFE, 20),
    (SC.FACHHOCHSCHULREIFE, 5),
    (SC.ABITUR, 32),
)
LOW_SCHOOL_VOCATIONAL = _Pick((VQ.NONE, 85), (VQ.APPRENTICESHIP, 15))
VOCATIONAL: dict[str, _Pick[VocationalQualification]] = {
    SC.NEVER_ATTENDED: LOW_SCHOOL_VOCATIONAL,
    SC.NONE: LOW_SCHOOL_VOCATIONAL,
    SC.HAUPTSCHULE: _Pick((VQ.NONE, 42), (VQ.APPRENTICESHIP, 55), (VQ.MEISTER_TECHNIKER, 3)),
    SC.MITTLERE_REIFE: _Pick(
        (VQ.NONE, 25), (VQ.APPRENTICESHIP, 65), (VQ.MEISTER_TECHNIKER, 6), (VQ.BACHELOR, 4)
    ),
}
HIGHER_VOCATIONAL = _Pick(
    (VQ.NONE, 28),
    (VQ.APPRENTICESHIP, 32),
    (VQ.MEISTER_TECHNIKER, 5),
    (VQ.BACHELOR, 18),
    (VQ.MASTER, 15),
    (VQ.DOCTORATE, 2),
)
# A foreign degree assessed on its own: the ISCED level is entered directly, the certificates not.
DIRECT_ISCED_SHARE = {True: 0.12, False: 0.01}  # by foreign background
DIRECT_ISCED = _Pick((1, 10), (2, 20), (3, 30), (4, 5), (6, 20), (7, 15))
NOT_ASKED_SHARE = 0.03
REFUSES_SPECIAL_SHARE = 0.07  # "Keine Angabe" to disability, minority and other disadvantage
REFUSES_ITEM_SHARE = 0.02
LEAFLET_MISSING_SHARE = 0.02
MINORITY_SHARE = {True: 0.06, False: 0.004}  # Roma and Sinti, by foreign background
OTHER_DISADVANTAGE = 0.05  # besides an addiction or a criminal record noted in the case
HOUSING_EXCLUSION = 0.01  # besides a notice to quit or living with friends, as the case says
# Share of participants living in a thinly populated area (DEGURBA), by site: small towns and villages
# in the Landkreise; the city neighbourhoods have none. Persons living outside the neighbourhood are
# more often from the villages around.
RURAL_SHARE = {
    "ART": 0.85, "BFA": 0.9, "BLS": 0.9, "HEL": 0.95, "LOB": 0.9, "TAB": 0.9,
    "SOE": 0.6, "BSA": 0.35, "ESA": 0.3, "EIS": 0.25, "LEI": 0.15, "SMK": 0.1, "SON": 0.05,
}  # fmt: skip
# Gaps that make a record incomplete (besides a missing date of birth), by share of participations.
GAP_ISCED = 0.012  # certificates asked only in part
GAP_STATUS = 0.004
GAP_UNEMPLOYED_SINCE = 0.01  # of the unemployed
GAP_IN_EDUCATION = 0.02  # of the inactive

# --- Leaving --------------------------------------------------------------------------------------

RESULT_DAYS = 28  # "upon leaving": up to 28 days after the exit
K = JobOutcome.Kind
EMPLOYMENT_KINDS = (K.EMPLOYMENT, K.MINI_JOB, K.APPRENTICESHIP, K.SELF_EMPLOYMENT)
EDUCATION_KINDS = (K.TRAINING, K.MEASURE)  # an apprenticeship is employment (E13 of the study)
# A Minijob beside registered unemployment is not employment: still searching (E12 of the study).
MINI_JOB_STILL_REGISTERED = 0.4
# Exit situation without a job outcome, by labour status at entry.
E = ExitEventType
AFTER_UNEMPLOYED = _Pick((E.JOB_SEARCHING, 85), (E.INACTIVE_OTHER, 15))
AFTER_INACTIVE = _Pick((E.JOB_SEARCHING, 35), (E.INACTIVE_OTHER, 65))
AFTER_EMPLOYED = _Pick((E.EMPLOYED, 80), (E.JOB_SEARCHING, 12), (E.INACTIVE_OTHER, 8))
AFTER_STATUS: dict[str, _Pick[ExitEventType]] = {L.INACTIVE: AFTER_INACTIVE, L.EMPLOYED: AFTER_EMPLOYED}
PENDING_SHARE = 0.5  # of those who left less than four weeks ago
NO_ANSWER_SHARE = 0.2  # of leavers whose case closed for lack of contact or a move
NO_ANSWER_REASONS = [
    "Unbekannt verzogen; der Brief kam zurück, die Telefonnummer ist abgemeldet.",
    "Kontakt abgebrochen; zwei Anrufe und ein Brief blieben ohne Antwort (Versuche in der Akte).",
    "Nach eigener Auskunft ins Ausland gezogen, keine Kontaktdaten hinterlassen.",
]
# Courses taken up right after leaving, without a job outcome (from the case's education needs).
COURSE_SHARE = 0.3
COURSES = [
    "Kurs zum Nachholen des Hauptschulabschlusses (Volkshochschule)",
    "Integrationskurs",
    "Berufssprachkurs B2",
    "Berufsvorbereitende Bildungsmaßnahme",
]
# Certificates after an exam count as a qualification; plain course attendance does not.
RECOGNISED = {"Hygieneschulung": False, "Computerkurs": False}

# --- Six months after leaving ---------------------------------------------------------------------

FU = FollowUpStatus
# Share recorded by how long the reference date is past: some are still open on the work lists,
# none older than half a year (by then whoever could not be reached is recorded as no response).
FOLLOW_UP_RECORDED = ((60, 0.5), (183, 0.9), (None, 1.0))  # (up to days past, share)
NO_RESPONSE_SHARE = 0.18
AFTER_JOB = _Pick((FU.EMPLOYED, 82), (FU.UNEMPLOYED, 11), (FU.INACTIVE, 7))
AFTER_SEARCHING = _Pick((FU.EMPLOYED, 22), (FU.UNEMPLOYED, 65), (FU.INACTIVE, 13))
AFTER_INACTIVE_EXIT = _Pick((FU.INACTIVE, 70), (FU.UNEMPLOYED, 15), (FU.EMPLOYED, 15))
IMPROVED_SHARE = 0.45  # of those employed at entry and six months after leaving
PUPIL_FOLLOW_UP = _Pick((FU.INACTIVE, 70), (FU.EMPLOYED, 10), (FU.NO_RESPONSE, 20))
IMPROVEMENT = _Pick(
    (ImprovementReason.PRECARIOUS_TO_STABLE, 35),
    (ImprovementReason.UNDER_TO_FULL, 40),
    (ImprovementReason.HIGHER_SKILLED_JOB, 15),
    (ImprovementReason.PROMOTION, 10),
)

GENDERS = {"f": "F", "m": "M", "x": "X"}
RS = ResidenceStatus
FOREIGN_STATUSES = {RS.PERMIT, RS.ASYLUM, RS.TOLERATED, RS.OTHER}  # third-country nationals


def _years_before(day: date, years: int) -> date:
    return add_months(day, -12 * years)


def _age(born: date | None, day: date) -> int | None:
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@dataclass(frozen=True)
class _Person:
    """What the questionnaire takes from the case work's person record."""

    pk: int
    birth_date: date | None
    gender: str
    residence_status: str
    languages: str
    disability: str
    household_size: int | None
    children: int | None
    street: str
    in_neighbourhood: bool | None


PERSON_FIELDS = [f.name for f in fields(_Person)]


@dataclass
class _Facts:
    """What the other demos left in the database about the cases, read once."""

    persons: dict[int, _Person]  # by id
    outcomes: dict[int, list[JobOutcome]]  # by case id, in order of start
    needs: dict[int, set[str]]  # by case id
    esf_consent: set[int]  # person ids

    @classmethod
    def load(cls, cases: list[Case]) -> "_Facts":
        # The cases' persons lost their cached objects when the case-work demo set the keys, so they
        # are read again, all at once. Whole tables are filtered here: an IN list of every demo case
        # would be too long for SQLite.
        case_ids = {case.pk for case in cases}
        person_ids = {case.person_id for case in cases}
        persons = {
            row[0]: _Person(*row)
            for row in Person.objects.values_list(*PERSON_FIELDS)
            if row[0] in person_ids
        }
        outcomes: dict[int, list[JobOutcome]] = defaultdict(list)
        for outcome in JobOutcome.objects.order_by("case_id", "starts_on", "pk"):
            if outcome.case_id in case_ids:
                outcomes[outcome.case_id].append(outcome)
        needs: dict[int, set[str]] = defaultdict(set)
        for case_id, topic in CaseNeed.objects.values_list("case_id", "topic"):
            if case_id in case_ids:
                needs[case_id].add(topic)
        consents = Consent.objects.filter(purpose=Consent.Purpose.ESF).values_list("person_id", flat=True)
        return cls(persons, outcomes, needs, set(consents))


@dataclass
class _Plan:
    """One participation in the making, with what its results are drawn from."""

    participation: Participation
    cases: list[Case]  # the cases whose periods are the stays
    outcomes: list[JobOutcome] = field(default_factory=list)
    needs: set[str] = field(default_factory=set)
    foreign: bool = False
    stays: list[tuple[date, date | None]] = field(default_factory=list)  # entry and exit, in order
    exit_situation: str = ""  # the last event type upon leaving, or "" if none


@dataclass
class _Rows:
    plans: list[_Plan] = field(default_factory=list)
    events: list[ExitEvent] = field(default_factory=list)
    education: list[EducationStart] = field(default_factory=list)
    qualifications: list[Qualification] = field(default_factory=list)

    def save(self) -> None:
        # Participations first: the other rows read their primary keys from them.
        _insert_objects(Participation, [plan.participation for plan in self.plans])
        stays = [[plan.participation.pk, *stay] for plan in self.plans for stay in plan.stays]
        _insert(Stay, ["participation_id", "entry_date", "exit_date"], stays, returning=False)
        _insert_objects(ExitEvent, self.events)
        _insert_objects(EducationStart, self.education)
        _insert_objects(Qualification, self.qualifications)


class _EsfDemo:
    def __init__(self, ctx: DemoContext, today: date, facts: _Facts) -> None:
        self.ctx, self.rng, self.today, self.facts = ctx, ctx.rng, today, facts
        self.rows = _Rows()
        persona = ctx.users.get(PERSONA[1])
        self.persona_id: int | None = persona.pk if persona is not None else None
        # Persons whose open follow-up the demo login must see: no answer, no gap, nothing recorded.
        self.persona_leavers: set[int] = set()
        self.persona_exits: dict[int, date] = {}  # person id: ESF exit before the case was closed
        self.pupils: dict[str, int] = defaultdict(int)  # workshop pupils so far, by site code

    def _day(self, lo: date, hi: date) -> date:
        if hi <= lo:
            return lo
        return lo + timedelta(days=self.rng.randint(0, (hi - lo).days))

    # Who takes part

    def choose(self, cases: list[Case]) -> list[list[Case]]:
        """The case lists (in order of opening) of the persons who take part, one list per person."""
        # Anonymous contacts have no case, so every person here is identified.
        by_person: dict[int, list[Case]] = defaultdict(list)
        for case in cases:
            by_person[case.person_id].append(case)
        for person_cases in by_person.values():
            person_cases.sort(key=lambda case: case.opened_on)
        self._persona_leavers(by_person)
        chosen = []
        for person_id, person_cases in by_person.items():
            share = self._share(self.facts.persons[person_id])
            if person_id in self.persona_leavers or self.rng.random() < share:
                chosen.append(self._stay_cases(person_cases))
        return chosen

    def _share(self, person: _Person) -> float:
        if person.pk in self.facts.esf_consent:
            return WITH_CONSENT_SHARE
        return OTHERS_SHARE if person.birth_date else WITHOUT_BIRTH_DATE_SHARE

    def _stay_cases(self, cases: list[Case]) -> list[Case]:
        # A person who came back to the site either re-entered (two stays, rule R9) or was registered
        # for ESF only on the later case.
        if len(cases) > 1 and self.rng.random() >= REENTRY_SHARE:
            return cases[-1:]
        return cases

    def _persona_leavers(self, by_person: dict[int, list[Case]]) -> None:
        """Leavers who must take part so that the demo login sees one six-month follow-up due within two
        weeks and one overdue on its work list: its own closed last case at its site whose six-month
        date falls in those spans. If it has none (small scales), a case closed later gets an ESF exit
        on the right day: the participation ended at the last conversation, the case was closed later."""
        spans = (
            (self.today, self.today + timedelta(days=14)),
            (self.today - timedelta(days=45), self.today - timedelta(days=1)),
        )
        own = [
            cases[-1]
            for cases in by_person.values()
            if cases[-1].site.code == PERSONA[0]
            and cases[-1].caseworker_id == self.persona_id
            and cases[-1].closed_on is not None
        ]
        for lo, hi in spans:
            fitting = [case for case in own if lo <= add_months(_closed(case), 6) <= hi]
            if fitting:
                self.persona_leavers.add(min(fitting, key=lambda case: case.pk).person_id)
                continue
            exit_on = add_months(lo + (hi - lo) / 2, -6)
            later = [
                case
                for case in own
                if case.opened_on < exit_on < _closed(case) and case.person_id not in self.persona_leavers
            ]
            if later:
                case = min(later, key=lambda case: (case.closed_on, case.pk))
                self.persona_leavers.add(case.person_id)
                self.persona_exits[case.person_id] = exit_on

    # One participation per person and site

    def participation(self, cases: list[Case]) -> _Plan:
        last = cases[-1]
        person = self.facts.persons[last.person_id]
        outcomes = [outcome for case in cases for outcome in self.facts.outcomes.get(case.pk, [])]
        needs = {topic for case in cases for topic in self.facts.needs.get(case.pk, set())}
        exits = [case.closed_on for case in cases]
        exits[-1] = self.persona_exits.get(last.person_id, exits[-1])
        entry = self._entry_day(cases[0], exits[0], outcomes)
        participation = Participation(
            site=last.site,
            person_id=person.pk,
            case=last,  # the current case; the entry data stay those of the first one (R9)
            person_key=f"INKA-{person.pk}",
            entry_date=entry,
            exit_date=exits[-1],
            gender=GENDERS.get(person.gender, ""),
            date_of_birth=person.birth_date,
        )
        plan = _Plan(participation, cases, outcomes, needs, foreign=_foreign(person))
        starts = [entry, *(case.opened_on for case in cases[1:])]
        plan.stays = list(zip(starts, exits, strict=True))
        age = _age(person.birth_date, entry)
        self._labour_status(plan, age)
        self._certificates(plan, age)
        self._sensitive(plan, person, last)
        self._household(plan, person)
        participation.rural = self._rural(last.site, person)
        self.rows.plans.append(plan)
        return plan

    def _entry_day(self, first: Case, first_exit: date | None, outcomes: list[JobOutcome]) -> date:
        """Mostly the day the first case opened; sometimes the questionnaire was filled in a few days
        later, but never after the first stay's end or an outcome that the results refer to."""
        if self.rng.random() < ENTRY_ON_OPENING_SHARE:
            return first.opened_on
        latest = min(
            first.opened_on + timedelta(days=self.rng.randint(1, 14)),
            first_exit or self.today,
            self.today,
            *(outcome.starts_on for outcome in outcomes),
        )
        return max(first.opened_on, latest)

    def _labour_status(self, plan: _Plan, age: int | None) -> None:
        p, rng = plan.participation, self.rng
        if age is not None and age >= PENSION_AGE:
            pick = STATUS_PENSIONER
        elif Topic.WORK in plan.needs:
            pick = STATUS_WORK_NEED
        else:
            pick = STATUS_YOUNG if age is not None and age < YOUNG else STATUS_ADULT
        status = pick(rng)
        p.labour_status_at_entry = status
        if status == L.EMPLOYED:
            p.self_employed = rng.random() < SELF_EMPLOYED_SHARE
        elif status == L.UNEMPLOYED:
            p.unemployed_since = self._unemployed_since(p.entry_date, age, p.date_of_birth)
        else:
            young = age is not None and age < YOUNG
            p.in_education_or_training_at_entry = rng.random() < IN_EDUCATION_SHARE[young]

    def _unemployed_since(self, entry: date, age: int | None, born: date | None) -> date:
        rng = self.rng
        young = age is not None and age < YOUNG
        threshold = 6 if young else 12
        bucket, low, high = (MONTHS_YOUNG if young else MONTHS_ADULT)(rng)
        if bucket == "exactly":
            since = add_months(entry, -threshold)
        elif bucket == "just_over":
            since = add_months(entry, -threshold) - timedelta(days=rng.randint(1, 20))
        elif bucket == "just_under":
            since = add_months(entry, -threshold) + timedelta(days=rng.randint(3, 25))
        else:
            since = add_months(entry, -rng.randint(low, high)) - timedelta(days=rng.randint(0, 27))
        # Registered at 16 at the earliest.
        return since if born is None else max(since, add_months(born, 16 * 12))

    def _certificates(self, plan: _Plan, age: int | None) -> None:
        p, rng = plan.participation, self.rng
        if rng.random() < DIRECT_ISCED_SHARE[plan.foreign]:
            p.isced_level = DIRECT_ISCED(rng)
            return
        school = (SCHOOL_FOREIGN if plan.foreign else SCHOOL_GERMAN)(rng)
        vocational = VOCATIONAL.get(school, HIGHER_VOCATIONAL)(rng)
        if age is not None and age < 21 and rng.random() < 0.75:
            vocational = VQ.NONE  # still in or just out of training
        p.school_certificate, p.vocational_qualification = school, vocational

    def _sensitive(self, plan: _Plan, person: _Person, case: Case) -> None:
        p, rng = plan.participation, self.rng
        p.leaflet_acknowledged_on = None if rng.random() < LEAFLET_MISSING_SHARE else p.entry_date
        if rng.random() < NOT_ASKED_SHARE:
            return  # a process error: left blank, which is "not asked"
        p.sensitive_asked_on = p.entry_date
        refuses_special = rng.random() < REFUSES_SPECIAL_SHARE
        status = person.residence_status
        answers = {
            "disability": self._disability(person.disability),
            "minority": _yes(rng.random() < MINORITY_SHARE[plan.foreign]),
            "other_disadvantaged": _yes(
                bool(case.addiction_note or case.criminal_record_note) or rng.random() < OTHER_DISADVANTAGE
            ),
            # Without a residence status on record, the foreign citizenship is a guess.
            "third_country_national": _yes(
                status in FOREIGN_STATUSES or (not status and plan.foreign and rng.random() < 0.6)
            ),
            "foreign_background": _yes(plan.foreign),
            "homeless_or_housing_exclusion": _yes(
                _housing_exclusion(case) or rng.random() < HOUSING_EXCLUSION
            ),
        }
        special = ("disability", "minority", "other_disadvantaged")
        for item, answer in answers.items():
            refused = (refuses_special and item in special) or rng.random() < REFUSES_ITEM_SHARE
            setattr(p, item, Answer.REFUSED if refused else answer)

    def _disability(self, recorded: str) -> str:
        if recorded == Disability.RECOGNISED:
            return Answer.YES
        if recorded == Disability.OTHER:
            return _yes(self.rng.random() < 0.4)
        return _yes(not recorded and self.rng.random() < 0.02)

    def _household(self, plan: _Plan, person: _Person) -> None:
        """The household items from the household the case work recorded."""
        p, rng = plan.participation, self.rng
        if p.sensitive_asked_on is None:
            return
        if person.household_size is None:
            if rng.random() < 0.5:
                p.household_jobless = p.household_dependent_children = p.household_single_adult = (
                    Answer.REFUSED
                )
                return
            size, children = 1, 0
        else:
            size, children = person.household_size, person.children or 0
        adults = max(1, size - children)
        p.household_dependent_children = _yes(children > 0)
        p.household_single_adult = _yes(adults == 1)
        jobless = p.labour_status_at_entry != L.EMPLOYED and (adults == 1 or rng.random() < 0.5)
        p.household_jobless = _yes(jobless)

    def _rural(self, site: Site, person: _Person) -> str:
        if not person.street:
            return Rural.UNKNOWN  # no address, no municipality to classify
        share = RURAL_SHARE.get(site.code, 0.0)
        if person.in_neighbourhood is False and share:
            share = max(share, 0.5)
        return Rural.YES if self.rng.random() < share else Rural.NO

    # Gaps for the completeness list

    def gaps(self) -> None:
        rng = self.rng
        for plan in self.rows.plans:
            p = plan.participation
            if plan.cases[-1].person_id in self.persona_leavers:
                continue
            draw = rng.random()
            if draw < GAP_ISCED:
                _drop_isced(p)
            elif draw < GAP_ISCED + GAP_STATUS:
                _drop_status(p)
            elif p.labour_status_at_entry == L.UNEMPLOYED and rng.random() < GAP_UNEMPLOYED_SINCE:
                p.unemployed_since = None
            elif p.labour_status_at_entry == L.INACTIVE and rng.random() < GAP_IN_EDUCATION:
                p.in_education_or_training_at_entry = None

    def persona_gaps(self) -> None:
        """A few incomplete records at the demo login's site, the login's own cases first."""
        plans = [plan for plan in self.rows.plans if plan.participation.site.code == PERSONA[0]]
        missing = PERSONA_INCOMPLETE - sum(1 for plan in plans if _incomplete(plan.participation))
        # The login's own cases, the latest entries first: a gap is most likely in new records.
        plans.sort(key=lambda plan: (plan.cases[-1].caseworker_id != self.persona_id,
                                     -plan.participation.entry_date.toordinal()))  # fmt: skip
        for plan in plans:
            if missing <= 0:
                break
            if plan.cases[-1].person_id not in self.persona_leavers and not _incomplete(plan.participation):
                _drop_isced(plan.participation)
                missing -= 1

    # Leaving

    def results(self, plan: _Plan) -> None:
        """The situation after the final exit, education, qualifications and the six-month follow-up."""
        p = plan.participation
        if p.exit_date is None:
            return  # results are recorded on leaving
        if self._no_answer(plan):
            self._follow_up(plan, unreachable=True)
            return
        self._qualifications(plan)
        self._education(plan)
        if (self.today - p.exit_date).days < RESULT_DAYS and self.rng.random() < PENDING_SHARE:
            return  # left in the last weeks: the situation after leaving is still to be found out
        self._exit_events(plan)
        self._follow_up(plan)

    def _no_answer(self, plan: _Plan) -> bool:
        """No answer possible ("Keine Angabe möglich", GFAW): only when the person could really not be
        reached after the case ended for lack of contact or a move, and the case work knows of no
        outcome either."""
        last = plan.cases[-1]
        if last.close_reason not in (Case.CloseReason.NO_CONTACT, Case.CloseReason.MOVED) or plan.outcomes:
            return False
        if self.rng.random() >= NO_ANSWER_SHARE or last.person_id in self.persona_leavers:
            return False
        plan.participation.exit_no_answer_reason = self.rng.choice(NO_ANSWER_REASONS)
        return True

    def _job_at_exit(self, plan: _Plan) -> JobOutcome | None:
        """The latest job that has started by the end of the result window and still runs at the exit."""
        p = plan.participation
        assert p.exit_date is not None
        window_end = p.exit_date + timedelta(days=RESULT_DAYS)
        jobs = [
            outcome
            for outcome in plan.outcomes
            if outcome.kind in EMPLOYMENT_KINDS
            and p.entry_date <= outcome.starts_on <= window_end
            and (outcome.ends_on is None or outcome.ends_on >= p.exit_date)
        ]
        return max(jobs, key=lambda outcome: outcome.starts_on, default=None)

    def _exit_events(self, plan: _Plan) -> None:
        p, rng = plan.participation, self.rng
        assert p.exit_date is not None
        job = self._job_at_exit(plan)
        day = min(p.exit_date + timedelta(days=rng.choice([0, 0, 0, 1, 3, 7, 14])), self.today)
        if job is not None and job.kind == K.MINI_JOB and rng.random() < MINI_JOB_STILL_REGISTERED:
            self._event(plan, day, E.JOB_SEARCHING, None)
            return
        if job is not None:
            kind = E.SELF_EMPLOYED if job.kind == K.SELF_EMPLOYMENT else E.EMPLOYED
            # A job taken up before the exit is the situation on the exit day.
            self._event(plan, max(job.starts_on, p.exit_date), kind, job)
            return
        status = p.labour_status_at_entry
        age = _age(p.date_of_birth, p.entry_date)
        if status == L.INACTIVE and age is not None and age >= PENSION_AGE:
            kind = E.INACTIVE_OTHER  # retired
        else:
            kind = AFTER_STATUS.get(status, AFTER_UNEMPLOYED)(rng)
        self._event(plan, day, kind, None)

    def _event(self, plan: _Plan, day: date, kind: str, job: JobOutcome | None) -> None:
        plan.exit_situation = kind
        self.rows.events.append(
            ExitEvent(participation=plan.participation, occurred_on=day, type=kind, job_outcome=job)
        )

    def _education(self, plan: _Plan) -> None:
        """Training and measures begun during the participation or upon leaving; a course right after
        leaving for some whose case was about education or language."""
        p, rng = plan.participation, self.rng
        assert p.exit_date is not None
        window_end = p.exit_date + timedelta(days=RESULT_DAYS)
        started = False
        for outcome in plan.outcomes:
            if outcome.kind in EDUCATION_KINDS and p.entry_date <= outcome.starts_on <= window_end:
                started = started or outcome.starts_on >= p.exit_date
                self.rows.education.append(
                    EducationStart(
                        participation=p,
                        started_on=outcome.starts_on,
                        title=_course(outcome),
                        job_outcome=outcome,
                    )
                )
        wants = plan.needs & {Topic.EDUCATION, Topic.RESIDENCE}
        if not started and wants and rng.random() < COURSE_SHARE and p.exit_date < self.today:
            day = self._day(p.exit_date + timedelta(days=1), min(window_end, self.today))
            self.rows.education.append(
                EducationStart(participation=p, started_on=day, title=rng.choice(COURSES))
            )

    def _qualifications(self, plan: _Plan) -> None:
        """Qualifications the job outcomes name, gained during the participation or upon leaving."""
        p = plan.participation
        assert p.exit_date is not None
        window_end = min(p.exit_date + timedelta(days=RESULT_DAYS), self.today)
        for outcome in plan.outcomes:
            awarded = outcome.ends_on
            if outcome.qualification and awarded is not None and p.entry_date <= awarded <= window_end:
                self.rows.qualifications.append(
                    Qualification(
                        participation=p,
                        awarded_on=awarded,
                        title=outcome.qualification,
                        recognised=RECOGNISED.get(outcome.qualification, True),
                        job_outcome=outcome,
                    )
                )

    def _follow_up(self, plan: _Plan, *, unreachable: bool = False) -> None:
        """Six months after leaving, once that day has passed; the demo login keeps its open ones."""
        p, rng = plan.participation, self.rng
        assert p.exit_date is not None
        if plan.cases and plan.cases[-1].person_id in self.persona_leavers:
            return
        reference = add_months(p.exit_date, 6)
        p.followup_6m_recorded_on = self._follow_up_day(reference)
        if p.followup_6m_recorded_on is None:
            return
        if unreachable or rng.random() < NO_RESPONSE_SHARE:
            p.followup_6m_status = FU.NO_RESPONSE
            return
        status = self._situation_after_six_months(plan, reference)
        p.followup_6m_status = status
        if p.labour_status_at_entry == L.EMPLOYED:
            # Improvement is asked only of those employed at entry (EECR06, CR07).
            p.followup_6m_improved = (
                status in (FU.EMPLOYED, FU.SELF_EMPLOYED) and rng.random() < IMPROVED_SHARE
            )
            p.followup_6m_improvement = IMPROVEMENT(rng) if p.followup_6m_improved else ""

    def _follow_up_day(self, reference: date) -> date | None:
        """The day the follow-up was recorded, a little after its reference date; None if not yet."""
        past = (self.today - reference).days
        if past < 0:
            return None
        share = next(share for days, share in FOLLOW_UP_RECORDED if days is None or past <= days)
        if self.rng.random() >= share:
            return None
        return min(self.today, reference + timedelta(days=self.rng.randint(0, 21)))

    def _situation_after_six_months(self, plan: _Plan, reference: date) -> str:
        in_job = any(
            outcome.kind in EMPLOYMENT_KINDS
            and outcome.starts_on <= reference
            and (outcome.ends_on is None or outcome.ends_on >= reference)
            for outcome in plan.outcomes
        )
        situation = plan.exit_situation
        if in_job or situation in (E.EMPLOYED, E.SELF_EMPLOYED):
            status = AFTER_JOB(self.rng)
            if status == FU.EMPLOYED and (situation == E.SELF_EMPLOYED or plan.participation.self_employed):
                status = FU.SELF_EMPLOYED
            return status
        return (AFTER_SEARCHING if situation == E.JOB_SEARCHING else AFTER_INACTIVE_EXIT)(self.rng)

    # Pupils of the youth workshops

    def youth_groups(self, sites: list[Site], first_year: int) -> None:
        """Workshops for pupils of 15–17 in the school holidays, recorded without a case; at least one
        a year, so that every year has participants under 18."""
        rng = self.rng
        for year in range(first_year, self.today.year + 1):
            chosen = [site for site in sites if rng.random() < YOUTH_GROUPS_PER_SITE_YEAR * self.ctx.scale]
            held = [self._youth_group(site, year) for site in chosen]
            for site in rng.sample(sites, len(sites)):
                if any(held):
                    break
                held.append(self._youth_group(site, year))

    def _youth_group(self, site: Site, year: int) -> bool:
        """One workshop at the site in the year, if the site had holidays by then; True if held."""
        rng = self.rng
        holidays = [
            (month, first, last, weight)
            for month, first, last, weight in WORKSHOP_HOLIDAYS
            if date(year, month, first) <= self.today
            and (site.starts_on is None or date(year, month, first) >= site.starts_on)
        ]
        if not holidays:
            return False
        month, first, last, _ = _Pick(*((holiday, holiday[3]) for holiday in holidays))(rng)
        start = min(date(year, month, rng.randint(first, last)), self.today)
        end = start + timedelta(days=rng.randint(10, 50))
        for _ in range(rng.randint(*YOUTH_GROUP_SIZE)):
            self._pupil(site, start, end if end <= self.today else None, school_leavers=month == 6)
        return True

    def _pupil(self, site: Site, entry: date, exit_on: date | None, *, school_leavers: bool) -> None:
        rng = self.rng
        age = rng.randint(15, 17)
        born = _years_before(entry, age + 1) + timedelta(days=rng.randint(1, 364))
        foreign = rng.random() < 0.2
        self.pupils[site.code] += 1
        participation = Participation(
            site=site,
            # No case and no person record: the workshop's own list key.
            person_key=f"WERKSTATT-{site.code}-{self.pupils[site.code]:04d}",
            entry_date=entry,
            exit_date=exit_on,
            gender=PUPIL_GENDER(rng),
            date_of_birth=born,
            labour_status_at_entry=L.INACTIVE,
            in_education_or_training_at_entry=True,
            school_certificate=rng.choice([SC.NONE, SC.NONE, SC.HAUPTSCHULE]),
            vocational_qualification=VQ.NONE,
            # A guardian signs for pupils under 16; the items are asked like for everyone else.
            leaflet_acknowledged_on=entry,
            sensitive_asked_on=entry,
            disability=_yes(rng.random() < 0.05),
            third_country_national=_yes(foreign and rng.random() < 0.6),
            foreign_background=_yes(foreign),
            minority=_yes(foreign and rng.random() < 0.08),
            other_disadvantaged=_yes(rng.random() < 0.1),
            homeless_or_housing_exclusion=Answer.NO,
            rural=Rural.YES if rng.random() < RURAL_SHARE.get(site.code, 0.0) else Rural.NO,
            # A pupil living with a parent is a dependent child of that household.
            household_jobless=_yes(rng.random() < 0.3),
            household_dependent_children=Answer.YES,
            household_single_adult=_yes(rng.random() < 0.25),
        )
        plan = _Plan(participation, cases=[], foreign=foreign)
        plan.stays = [(entry, exit_on)]
        self.rows.plans.append(plan)
        if school_leavers and age >= 16 and rng.random() < SCHOOL_LEAVER_SHARE:
            # The certificate is handed out at the end of the school year, during the workshop.
            title = (
                "Hauptschulabschluss" if participation.school_certificate == SC.NONE else "Realschulabschluss"
            )
            awarded = self._day(entry, min(entry + timedelta(days=10), self.today))
            self.rows.qualifications.append(
                Qualification(participation=participation, awarded_on=awarded, title=title)
            )
        if exit_on is None:
            return
        # Back to school, looking for an apprenticeship, or starting one.
        day = min(exit_on + timedelta(days=rng.randint(0, 14)), self.today)
        if rng.random() < 0.15:
            self.rows.education.append(EducationStart(participation=participation, started_on=day,
                                                      title="Berufsausbildung"))  # fmt: skip
        self._event(plan, day, E.JOB_SEARCHING if rng.random() < 0.3 else E.INACTIVE_OTHER, None)
        participation.followup_6m_recorded_on = self._follow_up_day(add_months(exit_on, 6))
        if participation.followup_6m_recorded_on is not None:
            # At school or in training (inactive), an in-company apprenticeship (employed), or no answer.
            participation.followup_6m_status = PUPIL_FOLLOW_UP(rng)

    # Numbers

    def number(self) -> None:
        """IDs SITE-TN-00001, numbered per site in the order of entry."""
        counters: dict[str, int] = defaultdict(int)
        plans = sorted(self.rows.plans, key=lambda plan: plan.participation.entry_date)  # stable
        for plan in plans:
            p = plan.participation
            code = p.site.code
            counters[code] += 1
            p.participation_id = f"{code}-TN-{counters[code]:05d}"


def _closed(case: Case) -> date:
    assert case.closed_on is not None
    return case.closed_on


def _yes(value: bool) -> str:
    return Answer.YES if value else Answer.NO


def _foreign(person: _Person) -> bool:
    """Foreign background, as far as the case work shows it: a foreign citizenship or a first or second
    language other than German and English (which also catches Russian-German families)."""
    if person.residence_status not in ("", ResidenceStatus.GERMAN):
        return True
    languages = {language.strip() for language in person.languages.split(",") if language.strip()}
    return bool(languages - {"Deutsch", "Englisch"})


def _housing_exclusion(case: Case) -> bool:
    """Notice to quit or living with friends: homeless or affected by housing exclusion."""
    return "Kündigung der Wohnung" in case.life_situation or "bei Bekannten" in case.life_situation


def _course(outcome: JobOutcome) -> str:
    # As the job outcome's adoption in the services titles it.
    return outcome.employer_or_provider or str(outcome.get_kind_display())


def _drop_isced(p: Participation) -> None:
    """Certificates asked only in part: the vocational qualification is missing, so no ISCED level."""
    p.isced_level = None
    p.vocational_qualification = ""
    if not p.school_certificate:
        p.school_certificate = SC.MITTLERE_REIFE


def _drop_status(p: Participation) -> None:
    p.labour_status_at_entry = ""
    p.unemployed_since = None
    p.in_education_or_training_at_entry = None
    p.self_employed = False


def _incomplete(p: Participation) -> bool:
    # The entry data alone decide it; the record's stays and results play no part.
    record = participation_record(p, stays=[], events=[], starts=[], qualifications=[])
    return bool(missing_fields(record))


def generate(ctx: DemoContext) -> None:
    cases: list[Case] = list(ctx.cases)
    if not cases:
        return
    demo = _EsfDemo(ctx, timezone.localdate(), _Facts.load(cases))
    for stay_cases in demo.choose(cases):
        demo.participation(stay_cases)
    # Gaps and results concern the participations of the case work; the pupils come after them.
    demo.gaps()
    demo.persona_gaps()
    for plan in demo.rows.plans:
        demo.results(plan)
    sites = sorted({case.site for case in cases}, key=lambda site: site.code)
    demo.youth_groups(sites, first_year=min(case.opened_on for case in cases).year)
    demo.number()
    demo.rows.save()
