"""Spelling-independent name keys for the duplicate warning.

`name_key` folds German spellings together (Müller = Mueller, Strauß = Strauss, accents dropped);
`name_sound` is the Kölner Phonetik, a phonetic code made for German names (Meyer ≈ Maier ≈ Mayr).
"""

import re
import unicodedata

_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_NOT_LETTER = re.compile(r"[^a-z]+")


def name_key(*parts: str) -> str:
    """Lower-case ASCII letters of the name parts, umlauts written out, joined by single spaces."""
    words: list[str] = []
    for part in parts:
        folded = unicodedata.normalize("NFKD", part.lower().translate(_FOLD))
        ascii_only = folded.encode("ascii", "ignore").decode()
        words.extend(word for word in _NOT_LETTER.split(ascii_only) if word)
    return " ".join(words)


_CODES = {
    **dict.fromkeys("aeijouy", "0"),
    "b": "1",
    **dict.fromkeys("fvw", "3"),
    **dict.fromkeys("gkq", "4"),
    "l": "5",
    **dict.fromkeys("mn", "6"),
    "r": "7",
    **dict.fromkeys("sz", "8"),
}


def _code(word: str, index: int) -> str:
    letter = word[index]
    before = word[index - 1] if index > 0 else ""
    after = word[index + 1] if index + 1 < len(word) else ""
    if letter == "h":
        return ""
    if letter == "p":
        return "3" if after == "h" else "1"
    if letter in "dt":
        return "8" if after in ("c", "s", "z") and after else "2"
    if letter == "c":
        if index == 0:
            return "4" if after and after in "ahkloqrux" else "8"
        if before in ("s", "z"):
            return "8"
        return "4" if after and after in "ahkoqux" else "8"
    if letter == "x":
        return "8" if before in ("c", "k", "q") and before else "48"
    return _CODES.get(letter, "")


def name_sound(name: str) -> str:
    """The Kölner Phonetik of a name (all its words run together): 'Müller' and 'Mueller' → '657'."""
    word = name_key(name).replace(" ", "")
    if not word:
        return ""
    raw = "".join(_code(word, index) for index in range(len(word)))
    collapsed = [digit for position, digit in enumerate(raw) if position == 0 or digit != raw[position - 1]]
    return collapsed[0] + "".join(digit for digit in collapsed[1:] if digit != "0") if collapsed else ""
