from django.db import migrations, models


def store_dates(apps, schema_editor):
    from actions.status import store_update_dates

    action, update = apps.get_model("actions", "Action"), apps.get_model("actions", "ActionUpdate")
    store_update_dates(action.objects.filter(updates__isnull=False), models=(action, update))


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0005_action_dates_from_updates"),
    ]

    operations = [
        migrations.AddField(
            model_name="action",
            name="updates_recorded_until",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="action",
            index=models.Index(
                fields=["updates_recorded_until"], name="actions_act_updates_508d84_idx"
            ),
        ),
        migrations.RunPython(store_dates, migrations.RunPython.noop),
    ]
