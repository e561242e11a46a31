"""What a fresh install needs in its database, installed by every ``migrate``.

A new database gets the default Celery beat schedules (``qa_audit.schedules``) and the
three standard audit templates with their domains and grade descriptors
(``audits.template_library``), so the README's production steps give a working service
with no extra command.

The rule, on every ``migrate``: create what is missing, by name (a schedule's name, a
template's family), and never change what exists, but for filling a standard question's
help where it has none (matched by its section and its unchanged text). An
administrator's edit to a schedule and a council's edit to a template (its wording, a new
version, switching it off) survive every deploy; a default that was deleted comes back
at the next ``migrate``, so to stop a schedule or retire a template, switch it off
instead.

Why a ``post_migrate`` receiver and not data migrations:

- A data migration runs once. A schedule added to ``DEFAULT_SCHEDULES`` later (or one
  deleted by mistake) would need a new migration each time; the receiver compares the
  database with the code on every ``migrate``, which is the rule above.
- A data migration must use historical models, so it could not share
  ``install_standard_templates`` (which also writes django-simple-history records) with
  the ``install_audit_templates`` command; the receiver calls the same code.
- ``flush`` (and so the test database between transactional tests) sends
  ``post_migrate`` too, and the defaults come back as after a fresh ``migrate``.

The trap: Django sends ``post_migrate`` once for each app that has a models module, with
that app as sender, and never for ``qa_audit`` (no models), where this receiver used to
be connected. It is connected without a sender (``dispatch_uid`` keeps it to one
connection) and acts only on the signal for the last app that has models, which Django
sends after every app's migrations have run, so it runs once per ``migrate``. It does
nothing while any migration is unapplied (``migrate audits 0001``, say), when the current
models may not match the tables.
"""

import sys

from django.apps import apps as global_apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor


def last_app_with_models():
    return [config for config in global_apps.get_app_configs() if config.models_module][-1]


def migrations_pending(using: str) -> bool:
    executor = MigrationExecutor(connections[using])
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def install_defaults(sender, *, using=DEFAULT_DB_ALIAS, verbosity=1, **kwargs):
    """The ``post_migrate`` receiver: install the default schedules and standard audit
    templates that are missing, once per ``migrate``, after the last app's migrations."""
    if sender is not last_app_with_models() or using != DEFAULT_DB_ALIAS:
        return
    if not settings.INSTALL_DEFAULTS_ON_MIGRATE:
        return
    stdout = kwargs.get("stdout") or sys.stdout
    if migrations_pending(using):
        if verbosity >= 1:
            stdout.write(
                "Default schedules and audit templates not checked: migrations are unapplied.\n"
            )
        return

    from audits.models import AuditTemplate
    from audits.template_library import install_standard_templates

    from .schedules import install_default_schedules

    for name in install_default_schedules(using=using):
        if verbosity >= 1:
            stdout.write(f"Installed the default schedule {name!r}.\n")
    before = set(AuditTemplate.objects.values_list("pk", flat=True))
    for template in install_standard_templates():
        if template.pk not in before and verbosity >= 1:
            stdout.write(f"Installed the standard audit template {template}.\n")
