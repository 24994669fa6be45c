"""The ESF indicator catalogue: code, official name and plain definition of every indicator, in report order.

The names are the official English ones of the regulations (translated to the official German ones);
the definitions say in one or two sentences whom an indicator counts, for the report page and exports.
Where both sets count by the same rule they share the text.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Indicator:
    code: str
    name: Promise
    definition: Promise
    kind: str  # "output" (counted at entry) or "result" (counted at exit)


# Texts the two sets share: (name, definition).
_UNEMPLOYED = (
    _("Unemployed, including long-term unemployed"),
    _(
        "Participants registered as unemployed with the employment agency or the Jobcenter when they "
        "entered, including the long-term unemployed."
    ),
)
_LONG_TERM_UNEMPLOYED = (
    _("Long-term unemployed"),
    _(
        "Unemployed participants whose current unemployment had lasted more than 6 months (under 25) or "
        "more than 12 months (25 and older) when they entered. With the setting “Long-term unemployment "
        "rule” at § 18 SGB III: 12 months or longer at any age."
    ),
)
_INACTIVE = (
    _("Inactive"),
    _(
        "Participants who were neither employed nor registered as unemployed when they entered, for "
        "example pupils, students, carers or pensioners."
    ),
)
_EMPLOYED = (
    _("Employed, including self-employed"),
    _(
        "Participants who were employed or self-employed when they entered, including in-company "
        "apprentices and people in marginal jobs who are not registered as unemployed."
    ),
)
_AGED_55_AND_ABOVE = _("Participants aged 55 or older on the day they entered.")
_UPPER_SECONDARY = (
    _("With upper secondary (ISCED 3) or post-secondary education (ISCED 4)"),
    _(
        "Participants whose highest education at entry was upper secondary or post-secondary "
        "(ISCED 3 or 4), for example the Abitur or a completed apprenticeship."
    ),
)
_TERTIARY = (
    _("With tertiary education (ISCED 5 to 8)"),
    _(
        "Participants with a tertiary qualification at entry (ISCED 5 to 8), for example Meister, "
        "Techniker, Bachelor, Master or doctorate."
    ),
)
_DISABILITY = (
    _("Participants with disabilities"),
    _(
        "Participants who said at entry that they have a disability. A refused or unasked question "
        "does not count."
    ),
)
_HOMELESS = (
    _("Homeless or affected by housing exclusion"),
    _(
        "Participants who were homeless or affected by housing exclusion when they entered. A refused or "
        "unasked question does not count."
    ),
)
_RURAL = _(
    "Participants who lived in a rural (thinly populated) area when they entered. An unknown place of "
    "residence does not count."
)
_EDUCATION_UPON_LEAVING = _(
    "Leavers who started school, studies or vocational training (other than this operation) within "
    "28 days after leaving."
)
_QUALIFICATION = (
    _("Participants gaining a qualification upon leaving"),
    _(
        "Leavers who gained a recognised qualification during the participation or within 28 days after "
        "leaving. Certificates of attendance do not count."
    ),
)
_EMPLOYED_UPON_LEAVING = _("Participants in employment, including self-employment, upon leaving")
_EMPLOYED_6M = _("Participants in employment, including self-employment, six months after leaving")
_IMPROVED_6M = (
    _("Participants with an improved labour market situation six months after leaving"),
    _(
        "Leavers employed at entry who were in a better job six months after leaving: from precarious to "
        "stable work, from under- to full employment, a job needing higher skills, or a promotion."
    ),
)
INDICATORS: dict[str, tuple[Indicator, ...]] = {
    "esf-plus": (
        Indicator("EECO01", *_UNEMPLOYED, "output"),
        Indicator("EECO02", *_LONG_TERM_UNEMPLOYED, "output"),
        Indicator("EECO03", *_INACTIVE, "output"),
        Indicator("EECO04", *_EMPLOYED, "output"),
        Indicator(
            "EECO05",
            _("Number of children below 18 years of age"),
            _("Participants younger than 18 on the day they entered."),
            "output",
        ),
        Indicator(
            "EECO06",
            _("Young people between 18 and 29 years of age"),
            _("Participants aged 18 to 29 on the day they entered; both ages included."),
            "output",
        ),
        Indicator(
            "EECO07", _("Number of participants of 55 years of age and above"), _AGED_55_AND_ABOVE, "output"
        ),
        Indicator(
            "EECO08",
            _("With lower secondary education or less (ISCED 0-2)"),
            _(
                "Participants whose highest education at entry was at most lower secondary (ISCED 0 to 2), "
                "for example no school-leaving certificate, or Hauptschule or Mittlere Reife without a "
                "vocational qualification."
            ),
            "output",
        ),
        Indicator("EECO09", *_UPPER_SECONDARY, "output"),
        Indicator("EECO10", *_TERTIARY, "output"),
        Indicator(
            "EECO11",
            _("Total number of participants"),
            _(
                "All participants with complete entry data who entered in the period: the unemployed, the "
                "inactive and the employed together. Records with missing data count only in the record "
                "totals."
            ),
            "output",
        ),
        Indicator("EECO12", *_DISABILITY, "output"),
        Indicator(
            "EECO13",
            _("Third-country nationals"),
            _(
                "Participants who said at entry that they are not citizens of an EU member state. A refused "
                "or unasked question does not count."
            ),
            "output",
        ),
        Indicator(
            "EECO14",
            _("Participants with a foreign background"),
            _(
                "Participants who said at entry that they have a foreign (migration) background. A refused "
                "or unasked question does not count."
            ),
            "output",
        ),
        Indicator(
            "EECO15",
            _("Minorities (including marginalised communities such as Roma people)"),
            _(
                "Participants who said at entry that they belong to a minority, including marginalised "
                "communities such as the Roma. A refused or unasked question does not count."
            ),
            "output",
        ),
        Indicator("EECO16", *_HOMELESS, "output"),
        Indicator("EECO17", _("Participants from rural areas"), _RURAL, "output"),
        Indicator(
            "EECR01",
            _("Participants engaged in job searching upon leaving"),
            _(
                "Leavers inactive at entry whose last labour-market situation within 28 days after leaving "
                "was searching for a job. The setting “Who can count in EECR01” can widen this to everyone "
                "not unemployed at entry or to all leavers."
            ),
            "result",
        ),
        Indicator(
            "EECR02",
            _("Participants in education or training upon leaving"),
            _EDUCATION_UPON_LEAVING,
            "result",
        ),
        Indicator("EECR03", *_QUALIFICATION, "result"),
        Indicator(
            "EECR04",
            _EMPLOYED_UPON_LEAVING,
            _(
                "Leavers unemployed or inactive at entry whose last labour-market situation within 28 days "
                "after leaving was employment or self-employment. The setting “Who can count in EECR04” "
                "can include those employed at entry."
            ),
            "result",
        ),
        Indicator(
            "EECR05",
            _EMPLOYED_6M,
            _(
                "Leavers employed or self-employed six months after leaving, as the follow-up recorded it; "
                "no response counts as not employed. The setting “Who can count in EECR05” can restrict "
                "this to those unemployed or inactive at entry."
            ),
            "result",
        ),
        Indicator("EECR06", *_IMPROVED_6M, "result"),
    ),
    "esf-2014": (
        Indicator("CO01", *_UNEMPLOYED, "output"),
        Indicator("CO02", *_LONG_TERM_UNEMPLOYED, "output"),
        Indicator("CO03", *_INACTIVE, "output"),
        Indicator(
            "CO04",
            _("Inactive, not in education or training"),
            _(
                "Participants inactive at entry who were not in school, studies or vocational training at "
                "the time."
            ),
            "output",
        ),
        Indicator("CO05", *_EMPLOYED, "output"),
        Indicator(
            "CO06",
            _("Below 25 years of age"),
            _("Participants younger than 25 on the day they entered."),
            "output",
        ),
        Indicator("CO07", _("Above 54 years of age"), _AGED_55_AND_ABOVE, "output"),
        Indicator(
            "CO08",
            _(
                "Above 54 years of age who are unemployed, including long-term unemployed, or inactive not "
                "in education or training"
            ),
            _(
                "Participants aged 55 or older at entry who were unemployed, or inactive and not in "
                "school, studies or vocational training."
            ),
            "output",
        ),
        Indicator(
            "CO09",
            _("With primary (ISCED 1) or lower secondary education (ISCED 2)"),
            _(
                "Participants whose highest education at entry was primary or lower secondary (ISCED 1 or "
                "2). People who never completed primary school (ISCED 0) count in none of CO09 to CO11."
            ),
            "output",
        ),
        Indicator("CO10", *_UPPER_SECONDARY, "output"),
        Indicator("CO11", *_TERTIARY, "output"),
        Indicator(
            "CO12",
            _("Participants who live in jobless households"),
            _(
                "Participants who lived at entry in a household where nobody is in employment. Counted for "
                "every entry date, also after the 2018 amendment made it optional."
            ),
            "output",
        ),
        Indicator(
            "CO13",
            _("Participants who live in jobless households with dependent children"),
            _(
                "Participants who lived at entry in a jobless household (nobody in employment) with "
                "dependent children."
            ),
            "output",
        ),
        Indicator(
            "CO14",
            _("Participants who live in a single adult household with dependent children"),
            _(
                "Participants who lived at entry in a household with only one adult and dependent "
                "children, whether employed or not."
            ),
            "output",
        ),
        Indicator(
            "CO15",
            _(
                "Migrants, participants with a foreign background, minorities (including marginalised "
                "communities such as the Roma)"
            ),
            _(
                "Participants who said at entry that they have a foreign background or belong to a "
                "minority. Refused or unasked questions do not count."
            ),
            "output",
        ),
        Indicator("CO16", *_DISABILITY, "output"),
        Indicator(
            "CO17",
            _("Other disadvantaged"),
            _(
                "Participants with another disadvantage under the national definition, as stated at entry. "
                "A refused or unasked question does not count."
            ),
            "output",
        ),
        Indicator("CO18", *_HOMELESS, "output"),
        Indicator("CO19", _("From rural areas"), _RURAL, "output"),
        Indicator(
            "CR01",
            _("Inactive participants newly engaged in job searching upon leaving"),
            _(
                "Leavers inactive at entry whose last labour-market situation within 28 days after leaving "
                "was searching for a job."
            ),
            "result",
        ),
        Indicator(
            "CR02", _("Participants in education/training upon leaving"), _EDUCATION_UPON_LEAVING, "result"
        ),
        Indicator("CR03", *_QUALIFICATION, "result"),
        Indicator(
            "CR04",
            _EMPLOYED_UPON_LEAVING,
            _(
                "Leavers unemployed or inactive at entry whose last labour-market situation within 28 days "
                "after leaving was employment or self-employment."
            ),
            "result",
        ),
        Indicator(
            "CR05",
            _(
                "Disadvantaged participants engaged in job searching, education/training, gaining a "
                "qualification, in employment, including self-employment, upon leaving"
            ),
            _(
                "Leavers counted in CR01, CR02, CR03 or CR04 who are disadvantaged (jobless household, "
                "single adult with children, foreign background, minority, disability, homelessness, other "
                "disadvantage; rural areas only if so set), each person once. With the setting “Outcomes "
                "that count for CR05” at “any outcome”, job search and employment count whatever the status "
                "at entry."
            ),
            "result",
        ),
        Indicator(
            "CR06",
            _EMPLOYED_6M,
            _(
                "Leavers employed or self-employed six months after leaving, as the follow-up recorded it; "
                "no response counts as not employed. The setting “Who can count in CR06 and CR09” can "
                "restrict this to those unemployed or inactive at entry."
            ),
            "result",
        ),
        Indicator("CR07", *_IMPROVED_6M, "result"),
        Indicator(
            "CR08",
            _(
                "Participants above 54 years of age in employment, including self-employment, six months "
                "after leaving"
            ),
            _(
                "Leavers aged 55 or older at entry who were employed or self-employed six months after "
                "leaving."
            ),
            "result",
        ),
        Indicator(
            "CR09",
            _(
                "Disadvantaged participants in employment, including self-employment, six months after "
                "leaving"
            ),
            _(
                "Disadvantaged leavers (as for CR05) who were employed or self-employed six months after "
                "leaving. Who can count follows the setting “Who can count in CR06 and CR09”."
            ),
            "result",
        ),
    ),
}

_BY_CODE = {item.code: item for indicators in INDICATORS.values() for item in indicators}


def indicator(code: str) -> Indicator:
    """The indicator with this code, of either set; KeyError for an unknown code."""
    return _BY_CODE[code]


OPTION_LABELS: dict[str, Promise] = {
    "ltu_rule": _("Long-term unemployment rule"),
    "eecr01_population": _("Who can count in EECR01"),
    "eecr04_population": _("Who can count in EECR04"),
    "eecr05_population": _("Who can count in EECR05"),
    "cr06_population": _("Who can count in CR06 and CR09"),
    "cr05_component_rule": _("Outcomes that count for CR05"),
    "disadvantaged_includes_rural": _("Rural residence counts as a disadvantage"),
}

_UNEMPLOYED_OR_INACTIVE = _("unemployed or inactive at entry")
_ALL_LEAVERS = _("all leavers")
OPTION_VALUE_LABELS: dict[str, dict[str, Promise]] = {
    "ltu_rule": {
        "EU_GUIDANCE": _("EU guidance: more than 6 months (under 25) or more than 12 months (25 and older)"),
        "DE_SGB3": _("§ 18 SGB III: 12 months or longer at any age"),
    },
    "eecr01_population": {
        "INACTIVE_AT_ENTRY": _("inactive at entry"),
        "NOT_UNEMPLOYED_AT_ENTRY": _("not unemployed at entry"),
        "ALL": _ALL_LEAVERS,
    },
    "eecr04_population": {"UNEMPLOYED_OR_INACTIVE_AT_ENTRY": _UNEMPLOYED_OR_INACTIVE, "ALL": _ALL_LEAVERS},
    "eecr05_population": {"ALL": _ALL_LEAVERS, "UNEMPLOYED_OR_INACTIVE_AT_ENTRY": _UNEMPLOYED_OR_INACTIVE},
    "cr06_population": {"ALL": _ALL_LEAVERS, "UNEMPLOYED_OR_INACTIVE_AT_ENTRY": _UNEMPLOYED_OR_INACTIVE},
    "cr05_component_rule": {
        "MIRROR": _("as in CR01 to CR04"),
        "LITERAL": _("any outcome"),
    },
    "disadvantaged_includes_rural": {"false": _("no"), "true": _("yes")},
}
