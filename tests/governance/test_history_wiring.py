"""The record of changes is complete whichever path wrote a row: after the demo council
is built (through the same services people, the importer and the scheduled tasks use),
every row of every model with a history has a history row showing its creation."""

import pytest
from django.core.management import call_command

from governance.selectors import historical_of, tracked_models

pytestmark = pytest.mark.django_db


def without_history(model) -> int:
    historical = historical_of(model)
    recorded = historical.objects.filter(history_type="+").values("id")
    return model._base_manager.exclude(pk__in=recorded).count()


def test_every_row_the_demo_writes_has_its_creation_on_record(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    call_command("seed_demo")
    missing = {
        model._meta.label_lower: count
        for model in tracked_models()
        if (count := without_history(model))
    }
    assert missing == {}, ", ".join(f"{k}: {v}" for k, v in sorted(missing.items()))
