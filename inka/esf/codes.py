"""The code values of ESF participant data (ESF.md), shared by the models, the import and the engine.

The values are the codes of the import format; the labels are the German questionnaire wording.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Gender(models.TextChoices):
    FEMALE = "F", _("female")
    MALE = "M", _("male")
    NON_BINARY = "X", _("diverse or not stated")


GENDERS = ("F", "M", "X")


class LabourStatus(models.TextChoices):
    EMPLOYED = "EMPLOYED", _("employed, including self-employed")
    UNEMPLOYED = "UNEMPLOYED", _("unemployed, including long-term unemployed")
    INACTIVE = "INACTIVE", pgettext_lazy("labour market", "inactive")


class Answer(models.TextChoices):
    """A sensitive item: only YES counts; a refusal is a complete answer; blank means not asked."""

    YES = "YES", _("yes")
    NO = "NO", _("no")
    REFUSED = "REFUSED", _("answer refused")


NOT_ASKED = "NOT_ASKED"  # the import code for a blank answer


class Rural(models.TextChoices):
    YES = "YES", _("yes")
    NO = "NO", _("no")
    UNKNOWN = "UNKNOWN", _("unknown")


class SchoolCertificate(models.TextChoices):
    NEVER_ATTENDED = "NEVER_ATTENDED", _("never attended school or primary school not completed")
    NONE = "NONE", _("no school-leaving certificate")
    HAUPTSCHULE = "HAUPTSCHULE", _("Hauptschulabschluss")
    MITTLERE_REIFE = "MITTLERE_REIFE", _("Mittlerer Abschluss (Realschule)")
    FACHHOCHSCHULREIFE = "FACHHOCHSCHULREIFE", _("Fachhochschulreife")
    ABITUR = "ABITUR", _("Abitur")


class VocationalQualification(models.TextChoices):
    NONE = "NONE", _("none (a pre-vocational year alone counts as none)")
    APPRENTICESHIP = "APPRENTICESHIP", _("completed apprenticeship or vocational school qualification")
    MEISTER_TECHNIKER = "MEISTER_TECHNIKER", _("Meister, Techniker or Fachschule")
    BACHELOR = "BACHELOR", _("Bachelor or Diplom (FH)")
    MASTER = "MASTER", _("Master, Diplom (university), Staatsexamen or Magister")
    DOCTORATE = "DOCTORATE", _("doctorate")


class ExitEventType(models.TextChoices):
    JOB_SEARCHING = "JOB_SEARCHING", _("searching for a job")
    EMPLOYED = "EMPLOYED", _("in employment")
    SELF_EMPLOYED = "SELF_EMPLOYED", _("self-employed")
    INACTIVE_OTHER = "INACTIVE_OTHER", _("inactive, other")


class FollowUpStatus(models.TextChoices):
    EMPLOYED = "EMPLOYED", _("in employment")
    SELF_EMPLOYED = "SELF_EMPLOYED", _("self-employed")
    UNEMPLOYED = "UNEMPLOYED", _("unemployed")
    INACTIVE = "INACTIVE", pgettext_lazy("labour market", "inactive")
    NO_RESPONSE = "NO_RESPONSE", _("no response")


class ImprovementReason(models.TextChoices):
    PRECARIOUS_TO_STABLE = "PRECARIOUS_TO_STABLE", _("from precarious to stable employment")
    UNDER_TO_FULL = "UNDER_TO_FULL", _("from underemployment to full employment")
    HIGHER_SKILLED_JOB = "HIGHER_SKILLED_JOB", _("job requiring higher skills")
    PROMOTION = "PROMOTION", _("promotion")


_TERTIARY = {"DOCTORATE": 8, "MASTER": 7, "BACHELOR": 6, "MEISTER_TECHNIKER": 6}
_SCHOOL_ONLY = {"ABITUR": 3, "FACHHOCHSCHULREIFE": 3, "HAUPTSCHULE": 2, "MITTLERE_REIFE": 2, "NONE": 1}


def isced_from_certificates(school: str | None, vocational: str | None) -> int | None:
    """ISCED 2011 level from the German certificates (the table of ESF.md); None if not derivable."""
    if vocational in _TERTIARY:
        return _TERTIARY[vocational]
    if vocational == "APPRENTICESHIP":
        if not school:
            return None
        return 4 if school in ("ABITUR", "FACHHOCHSCHULREIFE") else 3
    if vocational == "NONE":
        if school == "NEVER_ATTENDED":
            return 0
        return _SCHOOL_ONLY.get(school or "")
    return None
