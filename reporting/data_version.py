"""Leaders' figures counted once for each state of the data they are counted from.

The database keeps a version of that data: one row (``DataVersion``) whose value a
trigger on every table the figures read sets to a new random number whenever a change to
one of them is committed. Its writers need not know of it: the audit form, moderation,
imports (``COPY`` too), the case list, the admin and the demo all move it, because the
database does. ``remember`` keeps figures in the cache under that version (and today's
date, which the actions' figures are judged on): the dashboard and the summary API then
count a slice once for each change, not once for each request.

What moves the version: any committed insert, update or delete in the apps whose tables
the figures read (``WATCHED_APPS``), except the tables no figure reads (``UNREAD``: sign-in
times, the record of who viewed a child, import progress, emails, generated reports,
history copies) and the drafts an auditor types: an update of an open audit that
changes only what the auditor writes (``draft_columns``), and the grades, answers and
proposed actions of an open audit. No figure counts an open audit's draft, so autosave
does not move it; submitting, returning or allocating an audit does.

Why it is safe to keep figures under it:

- The version changes in the same transaction as the data, so it becomes visible with
  it. On PostgreSQL the trigger is deferred to the commit, so a writer holds the version
  row only while it commits, never while it works, and two writers cannot deadlock on it.
- ``remember`` reads the version before and after counting and keeps the figures only if
  it did not move: no commit became visible while they were counted, so every query saw
  the same data.
- Within a transaction (a test, a task generating a report) nothing is kept or read from
  the cache: its own uncommitted changes have not moved the version yet.
- A new version is a random 63-bit number, never a counter: a transaction rolled back or
  a database restored from a backup cannot bring an old version back with other data.
- Entries last ``FIGURES_CACHE_SECONDS`` at most (0 turns the cache off).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from typing import TypeVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

T = TypeVar("T")

#: the apps whose tables the figures read
WATCHED_APPS = ("accounts", "audits", "moderation", "actions", "feedback", "reporting")
#: tables of those apps that no figure reads, written often
UNREAD = frozenset(
    {
        "accounts_user",
        "accounts_user_groups",
        "accounts_user_user_permissions",
        "accounts_apitoken",
        "accounts_accesschange",
        "audits_childviewevent",
        "audits_importjob",
        "audits_importjoberror",
        "audits_remindersent",
        "feedback_linkthrottle",
        "actions_trackerrun",
        "actions_trackeremail",
        "reporting_report",
        "reporting_reportversion",
        "reporting_reportrun",
        "reporting_dataversion",
    }
)
#: tables holding an audit's draft, keyed by ``audit_id``
DRAFT_TABLES = ("audits_domaingrading", "audits_answer", "audits_proposedaction")
TRIGGER = "reporting_data_changed"
KEY_PREFIX = "figures"


def _open_statuses() -> list[str]:
    from audits.models.audit import EDITABLE_STATUSES

    return [str(status) for status in EDITABLE_STATUSES]


def draft_columns() -> list[str]:
    """The audit's columns an auditor's draft changes, and the bookkeeping around them."""
    from audits.models import Audit
    from audits.services.audit import DRAFT_FIELDS

    names = [*DRAFT_FIELDS, "lock_version", "started_at", "updated_at"]
    return [Audit._meta.get_field(name).column for name in names]


def watched_tables() -> list[str]:
    """Every table of the watched apps that a figure may read."""
    tables = set()
    for label in WATCHED_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            table = model._meta.db_table
            if model._meta.managed and not model.__name__.startswith("Historical"):
                tables.add(table)
    return sorted(tables - UNREAD)


def _quote(connection, name: str) -> str:
    return connection.ops.quote_name(name)


def _audit_kept_as_draft(connection, old: str = "OLD", new: str = "NEW") -> str:
    """SQL true when an update of an audit row changed only its draft: it is open before
    and after, in the same status, and every other column is as it was."""
    from audits.models import Audit

    skip = set(draft_columns())
    same_as = "IS NOT DISTINCT FROM" if connection.vendor == "postgresql" else "IS"
    columns = [_quote(connection, f.column) for f in Audit._meta.concrete_fields]
    same = [
        f"{old}.{column} {same_as} {new}.{column}"
        for column, field in zip(columns, Audit._meta.concrete_fields, strict=True)
        if field.column not in skip
    ]
    statuses = ", ".join(f"'{status}'" for status in _open_statuses())
    return f"({new}.status IN ({statuses}) AND " + " AND ".join(same) + ")"


def _postgresql_function() -> str:
    statuses = ", ".join(f"'{status}'" for status in _open_statuses())
    return f"""
CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    audit bigint;
BEGIN
    IF current_setting('{TRIGGER}.done', true) = 'yes' THEN
        RETURN NULL;
    END IF;
    IF TG_ARGV[0] = 'draft' THEN
        IF TG_OP = 'DELETE' THEN audit := OLD.audit_id; ELSE audit := NEW.audit_id; END IF;
        IF EXISTS (SELECT 1 FROM audits_audit a WHERE a.id = audit AND a.status IN ({statuses}))
        THEN
            RETURN NULL;
        END IF;
    END IF;
    PERFORM set_config('{TRIGGER}.done', 'yes', true);
    INSERT INTO reporting_dataversion (id, value)
        VALUES (1, floor(random() * 9223372036854775807)::bigint)
        ON CONFLICT (id) DO UPDATE SET value = EXCLUDED.value;
    RETURN NULL;
END
$$;
"""


def _postgresql_trigger(connection, table: str) -> list[str]:
    """Deferred row triggers: the version moves at the commit. An audit's update has a
    trigger of its own, whose WHEN clause leaves a draft's changes out (a WHEN clause
    cannot name OLD on an insert)."""
    quoted = _quote(connection, table)
    name, update = _quote(connection, TRIGGER), _quote(connection, f"{TRIGGER}_update")
    kind = "draft" if table in DRAFT_TABLES else "any"
    deferred = "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
    statements = [
        f"DROP TRIGGER IF EXISTS {name} ON {quoted}",
        f"DROP TRIGGER IF EXISTS {update} ON {quoted}",
    ]
    if table != "audits_audit":
        return [
            *statements,
            f"CREATE CONSTRAINT TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE ON {quoted} "
            f"{deferred} EXECUTE FUNCTION {TRIGGER}('{kind}')",
        ]
    return [
        *statements,
        f"CREATE CONSTRAINT TRIGGER {name} AFTER INSERT OR DELETE ON {quoted} {deferred} "
        f"EXECUTE FUNCTION {TRIGGER}('any')",
        f"CREATE CONSTRAINT TRIGGER {update} AFTER UPDATE ON {quoted} {deferred} "
        f"WHEN (NOT {_audit_kept_as_draft(connection)}) EXECUTE FUNCTION {TRIGGER}('any')",
    ]


def _sqlite_triggers(connection, table: str) -> list[str]:
    bump = (
        "INSERT OR REPLACE INTO reporting_dataversion (id, value) "
        "VALUES (1, abs(random() % 9223372036854775807))"
    )
    quoted = _quote(connection, table)
    statuses = ", ".join(f"'{status}'" for status in _open_statuses())
    statements = []
    for operation, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
        name = _quote(connection, f"{TRIGGER}_{table}_{operation.lower()}")
        when = ""
        if table in DRAFT_TABLES:
            when = (
                f" WHEN NOT EXISTS (SELECT 1 FROM audits_audit a WHERE a.id = {row}.audit_id"
                f" AND a.status IN ({statuses}))"
            )
        elif table == "audits_audit" and operation == "UPDATE":
            when = f" WHEN NOT {_audit_kept_as_draft(connection)}"
        statements += [
            f"DROP TRIGGER IF EXISTS {name}",
            f"CREATE TRIGGER {name} AFTER {operation} ON {quoted} FOR EACH ROW{when} "
            f"BEGIN {bump}; END",
        ]
    return statements


def install_triggers(using: str = DEFAULT_DB_ALIAS) -> int:
    """(Re)create the triggers on every watched table and start from a new version (what
    was kept before no longer matches); returns how many tables."""
    connection = connections[using]
    tables = watched_tables()
    existing = set(connection.introspection.table_names())
    tables = [t for t in tables if t in existing]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_postgresql_function())
            for table in tables:
                for statement in _postgresql_trigger(connection, table):
                    cursor.execute(statement)
        elif connection.vendor == "sqlite":
            for table in tables:
                for statement in _sqlite_triggers(connection, table):
                    cursor.execute(statement)
        else:
            return 0
        if "reporting_dataversion" in existing:
            cursor.execute("DELETE FROM reporting_dataversion")
            cursor.execute(
                "INSERT INTO reporting_dataversion (id, value) VALUES (1, %s)",
                [secrets.randbits(63)],
            )
    return len(tables)


def remove_triggers(using: str = DEFAULT_DB_ALIAS) -> None:
    """Drop the triggers and forget the version, before migrations run: a migration may
    change a column a trigger names. Until ``install_triggers`` runs again nothing is
    kept (``current`` is None)."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        if "reporting_dataversion" in existing:
            cursor.execute("DELETE FROM reporting_dataversion")
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                " WHERE t.tgname LIKE %s",
                [f"{TRIGGER}%"],
            )
            for table, name in cursor.fetchall():
                name, table = _quote(connection, name), _quote(connection, table)
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        elif connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [f"{TRIGGER}%"],
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f"DROP TRIGGER IF EXISTS {_quote(connection, name)}")


def current(using: str = DEFAULT_DB_ALIAS) -> int | None:
    """The data's version now, or None if it has never been set (a new or emptied
    database: nothing is kept until the first change)."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT value FROM reporting_dataversion WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def remember(name: str, parts: tuple, compute: Callable[[], T]) -> T:
    """``compute()``'s figures, counted once for the data's version and today: from the
    cache when they have been counted on this version, else counted and kept."""
    seconds = settings.FIGURES_CACHE_SECONDS
    if not seconds or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return compute()
    before = current()
    if before is None:
        return compute()
    described = repr((name, parts, timezone.localdate(), before))
    key = f"{KEY_PREFIX}:{hashlib.sha256(described.encode()).hexdigest()}"
    kept = cache.get(key)
    if kept is not None:
        return kept
    figures = compute()
    if current() == before:
        cache.set(key, figures, seconds)
    return figures
