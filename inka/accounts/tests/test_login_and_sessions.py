"""Login and sessions: the numbered tests live in tests/security/test_b2_authentication.py (t12–t18)."""

from inka import settings as inka_settings


def test_passwords_are_hashed_with_argon2():
    assert inka_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
