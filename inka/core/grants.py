"""Privileges of the application's PostgreSQL role: full use of every table, append-only logs.

Two roles (docs/deployment.md): the owner role runs `migrate`, the retention run and restores; the
application role (settings.DB_APP_ROLE) serves requests. After every migrate the owner grants the
application role what it needs; on the change history and the access log only SELECT and INSERT, so
that even a compromised application cannot rewrite or erase the evidence of what it did.
"""

from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

APPEND_ONLY_TABLES = ("core_auditentry", "core_accesslogentry")


def _quote(name: str) -> str:
    """A PostgreSQL identifier, quoted (a double quote inside is doubled)."""
    return '"' + name.replace('"', '""') + '"'


def apply_grants(role: str, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Grant `role` read and write on every table of the schema, but only read and append on the logs."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        raise RuntimeError("database grants exist on PostgreSQL only")
    who = _quote(role)
    with connection.cursor() as cursor:
        # Every table of the schema: INKA's, Django's (sessions, content types, migrations) and the
        # libraries' (axes, django-otp).
        tables = [name for name in connection.introspection.table_names(cursor) if name]
        writable = [_quote(name) for name in tables if name not in APPEND_ONLY_TABLES]
        logs = [_quote(name) for name in tables if name in APPEND_ONLY_TABLES]
        cursor.execute(f"GRANT USAGE ON SCHEMA {_quote(_schema(cursor))} TO {who}")
        if writable:
            cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE {', '.join(writable)} TO {who}")
        if logs:
            cursor.execute(
                f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON TABLE {', '.join(logs)} FROM {who}"
            )
            cursor.execute(f"GRANT SELECT, INSERT ON TABLE {', '.join(logs)} TO {who}")
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {_quote(_schema(cursor))} TO {who}")


def _schema(cursor: Any) -> str:
    cursor.execute("SELECT current_schema()")
    return str(cursor.fetchone()[0])


def grant_after_migrate(sender: Any, *, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """post_migrate: keep the application role's grants in step with the tables just migrated."""
    if settings.DB_APP_ROLE and connections[using].vendor == "postgresql":
        apply_grants(settings.DB_APP_ROLE, using=using)
