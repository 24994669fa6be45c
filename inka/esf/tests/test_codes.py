"""ISCED from German certificates: every row of the table in ESF.md."""

import pytest

from inka.esf.codes import SchoolCertificate, VocationalQualification, isced_from_certificates

ANY_SCHOOL = [*SchoolCertificate.values, None]

# (vocational or higher qualification, school certificates, ISCED): the rows of ESF.md, top to bottom.
TABLE = [
    ("DOCTORATE", ANY_SCHOOL, 8),
    ("MASTER", ANY_SCHOOL, 7),
    ("BACHELOR", ANY_SCHOOL, 6),
    ("MEISTER_TECHNIKER", ANY_SCHOOL, 6),
    ("APPRENTICESHIP", ["ABITUR", "FACHHOCHSCHULREIFE"], 4),
    ("APPRENTICESHIP", ["HAUPTSCHULE", "MITTLERE_REIFE", "NONE", "NEVER_ATTENDED"], 3),
    ("NONE", ["ABITUR", "FACHHOCHSCHULREIFE"], 3),
    ("NONE", ["HAUPTSCHULE", "MITTLERE_REIFE"], 2),
    ("NONE", ["NONE"], 1),
    ("NONE", ["NEVER_ATTENDED"], 0),
]


@pytest.mark.parametrize(
    ("vocational", "school", "isced"),
    [(vocational, school, isced) for vocational, schools, isced in TABLE for school in schools],
)
def test_table_row(vocational: str, school: str | None, isced: int) -> None:
    assert isced_from_certificates(school, vocational) == isced


def test_the_table_covers_every_pair_of_certificates() -> None:
    rows = {(vocational, school) for vocational, schools, _ in TABLE for school in schools if school}
    assert rows == {(v, s) for v in VocationalQualification.values for s in SchoolCertificate.values}


@pytest.mark.parametrize(
    ("school", "vocational"),
    [(None, None), ("ABITUR", None), (None, "NONE"), (None, "APPRENTICESHIP")],
)
def test_not_derivable_without_the_certificate_that_decides(
    school: str | None, vocational: str | None
) -> None:
    assert isced_from_certificates(school, vocational) is None
