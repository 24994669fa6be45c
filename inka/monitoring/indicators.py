"""The programme's indicators and breakdowns (the catalogue's content; see catalogue.py).

Each measure is a selector of the app that owns the records, named here and imported when first
used, so this list reads like the catalogue page and monitoring depends on the apps' selectors only.
"""

from collections.abc import Callable, Sequence
from importlib import import_module
from typing import Any

from django.utils.translation import gettext_lazy as _

from inka.core.aggregates import Counts
from inka.monitoring.catalogue import Breakdown, Indicator, Kind, Section


def uses(app: str, selector: str, **fixed: Any) -> Callable[..., Counts]:
    """The selector `inka.<app>.selectors.<selector>`, called with `fixed` keyword arguments too."""

    def measure(**arguments: Any) -> Counts:
        function = getattr(import_module(f"inka.{app}.selectors"), selector)
        return function(**fixed, **arguments)

    measure.__qualname__ = f"{app}.{selector}"
    return measure


def _choices(module: str, name: str, *, unknown: bool = False) -> Callable[[], Sequence[tuple[str, Any]]]:
    def choices() -> Sequence[tuple[str, Any]]:
        found: Any = import_module(module)
        for part in name.split("."):
            found = getattr(found, part)
        return [*found.choices, *([("", _("not recorded"))] if unknown else [])]

    return choices


BREAKDOWNS = (
    Breakdown("gender", _("Gender"), _choices("inka.cases.models", "Gender", unknown=True)),
    Breakdown("age_band", _("Age band"), _choices("inka.cases.models", "AgeBand", unknown=True)),
    Breakdown("mode", _("Mode of contact"), _choices("inka.cases.models", "ContactMode")),
    # A contact can touch several topics, so topics do not add up to the contacts.
    Breakdown("topic", _("Topic"), _choices("inka.cases.models", "Topic"), additive=False),
    Breakdown("close_reason", _("Reason for closing"), _choices("inka.cases.models", "Case.CloseReason")),
    Breakdown("partner_kind", _("Kind of partner"), _choices("inka.network.models", "PartnerKind")),
    Breakdown("referral_status", _("Answer"), _choices("inka.cases.models", "Referral.Status")),
    Breakdown(
        "barrier", _("Placement barrier"), _choices("inka.employment.models", "Barrier"), additive=False
    ),
    Breakdown("job_kind", _("Kind of outcome"), _choices("inka.employment.models", "JobOutcome.Kind")),
    Breakdown(
        "activation_kind", _("Kind of activation"), _choices("inka.community.models", "ActivationKind")
    ),
    Breakdown("activity_kind", _("Kind of activity"), _choices("inka.network.models", "ActivityKind")),
)

CASES, EMPLOYMENT, ESF = Section.CASE_WORK, Section.EMPLOYMENT, Section.ESF
COMMUNITY, NETWORK = Section.COMMUNITY, Section.NETWORK

INDICATORS = (
    # --- Case work -------------------------------------------------------------------------------
    Indicator(
        "contacts.total",
        CASES,
        _("Counselling contacts"),
        _(
            "All counselling contacts of the site: anonymous contacts and contacts in cases, at the "
            "office, by phone or online, in the neighbourhood, at home and on the way to an authority."
        ),
        _("contacts"),
        Kind.FLOW,
        uses("cases", "contact_counts"),
        breakdowns=("mode", "topic"),
        key_figure=True,
    ),
    Indicator(
        "contacts.anonymous",
        CASES,
        _("Anonymous contacts"),
        _(
            "Contacts recorded without a person or case: a quick question at the office or on the "
            "phone, a conversation in the neighbourhood. Age band and gender are recorded when known."
        ),
        _("contacts"),
        Kind.FLOW,
        uses("cases", "contact_counts", anonymous=True),
        breakdowns=("mode", "topic", "gender", "age_band"),
    ),
    Indicator(
        "contacts.case",
        CASES,
        _("Contacts in cases"),
        _("Contacts recorded in a case: conversations, appointments, home visits and accompaniments."),
        _("contacts"),
        Kind.FLOW,
        uses("cases", "contact_counts", anonymous=False),
        breakdowns=("mode", "topic"),
    ),
    Indicator(
        "contacts.outreach_share",
        CASES,
        _("Share of contacts made by going out"),
        _(
            'Contacts in the neighbourhood, at home and on the way to an authority (the "Geh-Struktur") '
            "as a share of all counselling contacts. The programme's core idea is to go to people instead "
            "of waiting for them at the office."
        ),
        _("percent"),
        Kind.SHARE,
        uses("cases", "contact_counts", outreach=True),
        whole=uses("cases", "contact_counts"),
        key_figure=True,
    ),
    Indicator(
        "persons.counselled",
        CASES,
        _("Persons counselled"),
        _(
            "Different persons with at least one contact in their case in the period; someone counselled "
            "in several months counts once for the quarter and the year. Age at the end of the period."
        ),
        _("persons"),
        Kind.DISTINCT,
        uses("cases", "person_counts"),
        breakdowns=("gender", "age_band"),
        quality="stale_cases",
        key_figure=True,
    ),
    Indicator(
        "persons.new",
        CASES,
        _("Persons counselled for the first time"),
        _("Persons counselled in the period whose first contact at the site falls in the period."),
        _("persons"),
        Kind.DISTINCT,
        uses("cases", "person_counts", first_time=True),
        breakdowns=("gender",),
        quality="stale_cases",
    ),
    Indicator(
        "persons.continuing",
        CASES,
        _("Persons counselled further"),
        _("Persons counselled in the period who had been counselled at the site before the period."),
        _("persons"),
        Kind.DISTINCT,
        uses("cases", "person_counts", first_time=False),
        breakdowns=("gender",),
        quality="stale_cases",
    ),
    Indicator(
        "cases.opened",
        CASES,
        _("Cases opened"),
        _("Cases opened in the period, including reopened ones on the day they were first opened."),
        _("cases"),
        Kind.FLOW,
        uses("cases", "case_counts", event="opened"),
        quality="stale_cases",
    ),
    Indicator(
        "cases.closed",
        CASES,
        _("Cases closed"),
        _(
            "Cases closed in the period, by the reason recorded at closing. A case reopened later counts "
            "when it is closed again."
        ),
        _("cases"),
        Kind.FLOW,
        uses("cases", "case_counts", event="closed"),
        breakdowns=("close_reason",),
        quality="stale_cases",
    ),
    Indicator(
        "referrals.sent",
        CASES,
        _("Referrals to partners"),
        _("Referrals sent to partner institutions in the period, by kind of partner and by their answer."),
        _("referrals"),
        Kind.FLOW,
        uses("cases", "referral_counts"),
        breakdowns=("partner_kind", "referral_status"),
        quality="referrals_unanswered",
    ),
    Indicator(
        "referrals.answer_rate",
        CASES,
        _("Answer rate of referrals"),
        _(
            "Referrals sent in the period that the partner has answered (accepted, declined or reported "
            "as completed), whatever happened afterwards, as a share of all referrals sent in the period."
        ),
        _("percent"),
        Kind.SHARE,
        uses("cases", "referral_counts", answered=True),
        whole=uses("cases", "referral_counts"),
    ),
    Indicator(
        "goals.achieved",
        CASES,
        _("Goals achieved"),
        _("Goals of help plans marked as achieved in the period (on the day they were achieved)."),
        _("goals"),
        Kind.FLOW,
        uses("cases", "goal_counts"),
        breakdowns=("topic",),
        quality="overdue_follow_ups",
    ),
    # --- Job integration -------------------------------------------------------------------------
    Indicator(
        "barriers.reduced",
        EMPLOYMENT,
        _("Placement barriers reduced"),
        _(
            "Placement barriers rated lower at an assessment in the period than when they were last rated "
            'before in the same case; a barrier now rated "none" counts as reduced, one left "not '
            'assessed" does not count.'
        ),
        _("barriers"),
        Kind.FLOW,
        uses("employment", "barrier_reduction_counts"),
        breakdowns=("barrier",),
    ),
    Indicator(
        "jobs.outcomes",
        EMPLOYMENT,
        _("Job outcomes"),
        _(
            "Jobs subject to social insurance, mini-jobs, apprenticeships, training, measures of the "
            "Jobcenter and self-employment that began in the period."
        ),
        _("outcomes"),
        Kind.FLOW,
        uses("employment", "job_outcome_counts"),
        breakdowns=("job_kind",),
        key_figure=True,
    ),
    # --- ESF participation -----------------------------------------------------------------------
    Indicator(
        "esf.entered",
        ESF,
        _("ESF participants entered"),
        _("Participations in the ESF project that began in the period (a re-entry is not a new one)."),
        _("participants"),
        Kind.FLOW,
        uses("esf", "participation_counts", event="entered"),
        breakdowns=("gender",),
        quality="esf_incomplete",
        key_figure=True,
    ),
    Indicator(
        "esf.left",
        ESF,
        _("ESF participants left"),
        _(
            "Participations that ended in the period (the day of the last leaving; a person who comes "
            "back counts when leaving again)."
        ),
        _("participants"),
        Kind.FLOW,
        uses("esf", "participation_counts", event="left"),
        breakdowns=("gender",),
        quality="esf_incomplete",
    ),
    Indicator(
        "esf.result_on_leaving",
        ESF,
        _("ESF participants with a result on leaving"),
        _(
            "Complete participations that ended in the period with an immediate result: within four "
            "weeks of leaving the person took up work or self-employment (the last situation recorded in "
            "those weeks counts) or began education or training, or gained a recognised qualification "
            "during the participation or in those weeks."
        ),
        _("participants"),
        Kind.FLOW,
        uses("esf", "participation_counts", event="result"),
        breakdowns=("gender",),
        quality="esf_incomplete",
    ),
    # --- Neighbourhood work ----------------------------------------------------------------------
    Indicator(
        "community.projects",
        COMMUNITY,
        _("Community projects running"),
        _(
            "Community projects whose time from start to end overlaps the period; planned projects count "
            "from their start, cancelled ones not at all."
        ),
        _("projects"),
        Kind.DISTINCT,
        uses("community", "project_counts"),
    ),
    Indicator(
        "community.sessions",
        COMMUNITY,
        _("Community sessions held"),
        _("Sessions and events of the site's community projects held in the period."),
        _("sessions"),
        Kind.FLOW,
        uses("community", "session_counts"),
    ),
    Indicator(
        "community.attendance",
        COMMUNITY,
        _("Participations in community sessions"),
        _(
            "Guests counted at the sessions plus named participants; someone who comes to two sessions "
            "counts twice. Named participants count with their age on the day of the session."
        ),
        _("participations"),
        Kind.FLOW,
        uses("community", "attendance_counts"),
        breakdowns=("gender", "age_band"),
        key_figure=True,
    ),
    Indicator(
        "community.volunteers",
        COMMUNITY,
        _("Active volunteers"),
        _(
            "Different volunteers with hours in the period: hours for a session count on the day of "
            "the session, hours for a month in that month."
        ),
        _("persons"),
        Kind.DISTINCT,
        uses("community", "volunteer_counts"),
    ),
    Indicator(
        "community.volunteer_hours",
        COMMUNITY,
        _("Volunteer hours"),
        _(
            "Hours given by volunteers in the period: hours for a session count on the day of the "
            "session, hours for a month in that month."
        ),
        _("hours"),
        Kind.AMOUNT,
        uses("community", "volunteer_hour_totals"),
        guard="community.volunteers",
    ),
    Indicator(
        "community.activations",
        COMMUNITY,
        _("Resident activations"),
        _(
            "Occasions on which residents took something into their own hands: took over a task, founded "
            "a group, organised an event or spoke for their neighbours."
        ),
        _("activations"),
        Kind.FLOW,
        uses("community", "activation_counts_by_month"),
        breakdowns=("activation_kind",),
    ),
    Indicator(
        "outreach.rounds",
        COMMUNITY,
        _("Outreach rounds"),
        _("Rounds through the neighbourhood to talk to residents where they are."),
        _("rounds"),
        Kind.FLOW,
        uses("community", "outreach_counts", measure="rounds"),
    ),
    Indicator(
        "outreach.conversations",
        COMMUNITY,
        _("Outreach conversations"),
        _("Conversations held on outreach rounds."),
        _("conversations"),
        Kind.FLOW,
        uses("community", "outreach_counts", measure="conversations"),
    ),
    # --- Network and steering --------------------------------------------------------------------
    Indicator(
        "partners.active",
        NETWORK,
        _("Active network partners"),
        _(
            "Partners on the site's list on the last day of the period (the current period: today), from "
            "the day cooperation began or, if that is not recorded, the day they were put on the list. "
            "Partners marked as no longer active are not counted."
        ),
        _("partners"),
        Kind.STOCK,
        uses("network", "partner_counts"),
        breakdowns=("partner_kind",),
        key_figure=True,
    ),
    Indicator(
        "partners.new",
        NETWORK,
        _("New network partners"),
        _(
            "Partners added to the site's list in the period: on the day cooperation began or, if that "
            "is not recorded, the day they were put on the list."
        ),
        _("partners"),
        Kind.FLOW,
        uses("network", "new_partner_counts"),
        breakdowns=("partner_kind",),
    ),
    Indicator(
        "agreements.active",
        NETWORK,
        _("Cooperation agreements in force"),
        _(
            "Cooperation agreements of the site in force on the last day of the period (the current "
            "period: today); a renewed agreement counts until its follow-up begins."
        ),
        _("agreements"),
        Kind.STOCK,
        uses("network", "agreement_counts"),
    ),
    Indicator(
        "network.activities",
        NETWORK,
        _("Network activities"),
        _("Network meetings, joint projects, working groups and events of the site's network."),
        _("activities"),
        Kind.FLOW,
        uses("network", "activity_counts_by_month"),
        breakdowns=("activity_kind",),
    ),
    Indicator(
        "steering.meetings",
        NETWORK,
        _("Steering group meetings held"),
        _("Meetings of the site's steering group whose minutes are recorded, by the day of the meeting."),
        _("meetings"),
        Kind.FLOW,
        uses("steering", "meeting_counts"),
    ),
    Indicator(
        "steering.actions_done",
        NETWORK,
        _("Action items done"),
        _("Action items of the steering group done in the period, on the day recorded as done."),
        _("action items"),
        Kind.FLOW,
        uses("steering", "action_item_done_counts"),
    ),
    Indicator(
        "survey.index",
        NETWORK,
        _("Partner survey index"),
        _(
            "The overall index of the yearly partner survey (0 to 100): the weighted mean of the "
            "dimension scores of the site's survey of that year; while the survey is still open, of the "
            "answers so far. Shown for years only, and only when there are answers."
        ),
        _("points (0–100)"),
        Kind.INDEX,
        uses("network", "survey_index_values"),
    ),
)
