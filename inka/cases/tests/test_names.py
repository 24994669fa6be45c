"""Spelling-independent name keys and the Kölner Phonetik behind the duplicate warning."""

import pytest

from inka.cases.names import name_key, name_sound


@pytest.mark.parametrize(
    ("parts", "key"),
    [
        (("Müller", "Jürgen"), "mueller juergen"),
        (("Mueller", "Juergen"), "mueller juergen"),
        (("MÜLLER", "jürgen"), "mueller juergen"),
        (("Strauß",), "strauss"),
        (("Özdemir", "Ömer"), "oezdemir oemer"),
        (("José", "Françoise"), "jose francoise"),
        (("Müller-Lüdenscheidt",), "mueller luedenscheidt"),
        (("  von   der Heide ", "Anna-Lena"), "von der heide anna lena"),
        (("O'Neil",), "o neil"),
        (("",), ""),
        (("123 -- !",), ""),
    ],
)
def test_name_key_folds_spellings_to_lower_case_ascii_words(parts, key):
    assert name_key(*parts) == key


def test_name_key_makes_german_spelling_variants_equal():
    assert name_key("Müller", "Jürgen") == name_key("Mueller", "Juergen")
    assert name_key("Weiß") == name_key("Weiss")
    assert name_key("Müller") != name_key("Miller")


@pytest.mark.parametrize(
    ("name", "code"),
    [
        # The examples published with the algorithm (Postel 1969, and the German Wikipedia).
        ("Müller-Lüdenscheidt", "65752682"),
        ("Wikipedia", "3412"),
        ("Breschnew", "17863"),
        # Letter rules: C at the start, C after S, X, PH, D/T before C/S/Z.
        ("Christoph", "47823"),
        ("Xaver", "4837"),
        ("Philipp", "351"),
        ("Schmidt", "862"),
        ("Fischer", "387"),
    ],
)
def test_name_sound_is_the_koelner_phonetik(name, code):
    assert name_sound(name) == code


@pytest.mark.parametrize(
    "variants",
    [
        ["Müller", "Mueller", "MÜLLER"],
        ["Meyer", "Meier", "Maier", "Mayr", "Mayer"],
        ["Schmidt", "Schmitt", "Schmid"],
        ["Strauß", "Strauss"],
        ["Jürgen", "Juergen"],
    ],
)
def test_name_sound_is_the_same_for_variants_of_a_name(variants):
    codes = {name_sound(name) for name in variants}
    assert len(codes) == 1
    assert codes != {""}


def test_name_sound_tells_different_names_apart():
    assert name_sound("Müller") != name_sound("Meyer")
    assert name_sound("Schulz") != name_sound("Schmidt")


def test_name_sound_of_mueller_is_657():
    assert name_sound("Müller") == "657"
    assert name_sound("Mueller") == "657"


@pytest.mark.parametrize("name", ["", "   ", "-", "42"])
def test_name_sound_of_no_letters_is_empty(name):
    assert name_sound(name) == ""
