from inka.core.registry import DataClass as D

FIELDS = {
    "accounts.User": {
        "id": D.TECHNICAL,
        "password": D.TECHNICAL,
        "last_login": D.STAFF,
        "is_superuser": D.TECHNICAL,
        "groups": D.TECHNICAL,
        "user_permissions": D.TECHNICAL,
        "email": D.STAFF,
        "first_name": D.STAFF,
        "last_name": D.STAFF,
        "phone": D.STAFF,
        "is_active": D.STAFF,
        "is_staff": D.TECHNICAL,
        "date_joined": D.STAFF,
        "session_generation": D.TECHNICAL,
    },
    "accounts.Membership": {
        "id": D.TECHNICAL,
        "user": D.STAFF,
        "site": D.STAFF,
        "role": D.STAFF,
        "created_at": D.STAFF,
    },
}
