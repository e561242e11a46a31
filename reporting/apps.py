import sys

from django.apps import AppConfig
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate, pre_migrate


def install_data_version_triggers(sender, *, using=DEFAULT_DB_ALIAS, verbosity=1, **kwargs):
    """The ``post_migrate`` receiver: (re)create the triggers that keep the figures'
    data version (``reporting.data_version``) on every table the figures read, once per
    ``migrate``, after the last app's migrations. ``flush`` sends the signal too, without
    a plan: the triggers outlive a flush, so it is left alone."""
    from qa_audit.defaults import last_app_with_models, migrations_pending

    from .data_version import install_triggers

    if sender is not last_app_with_models() or "plan" not in kwargs:
        return
    if migrations_pending(using):
        return
    tables = install_triggers(using)
    if verbosity >= 2:
        (kwargs.get("stdout") or sys.stdout).write(
            f"Data version triggers installed on {tables} tables.\n"
        )


def remove_data_version_triggers(sender, *, using=DEFAULT_DB_ALIAS, **kwargs):
    """The ``pre_migrate`` receiver: drop the triggers before the first app's migrations
    run, so that no migration trips over a column a trigger names; ``migrate`` puts them
    back at its end (``install_data_version_triggers``)."""
    from django.apps import apps

    from .data_version import remove_triggers

    if sender is [c for c in apps.get_app_configs() if c.models_module][0]:
        remove_triggers(using)


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Reporting"

    def ready(self):
        pre_migrate.connect(
            remove_data_version_triggers, dispatch_uid="reporting.remove_data_version_triggers"
        )
        post_migrate.connect(
            install_data_version_triggers, dispatch_uid="reporting.install_data_version_triggers"
        )
