from inka.core.registry import Category

FIELDS = {
    "accounts.User": {
        "id": Category.METADATA,
        "password": Category.STAFF,
        "last_login": Category.STAFF,
        "is_superuser": Category.METADATA,
        "groups": Category.METADATA,
        "user_permissions": Category.METADATA,
        "email": Category.STAFF,
        "first_name": Category.STAFF,
        "last_name": Category.STAFF,
        "phone": Category.STAFF,
        "is_active": Category.METADATA,
        "is_staff": Category.METADATA,
        "date_joined": Category.STAFF,
        "session_generation": Category.METADATA,
    },
    "accounts.Membership": {
        "id": Category.METADATA,
        "user": Category.STAFF,
        "site": Category.METADATA,
        "role": Category.STAFF,
        "created_at": Category.METADATA,
    },
}

ACTIVITIES = {"accounts.User": "accounts", "accounts.Membership": "accounts"}
