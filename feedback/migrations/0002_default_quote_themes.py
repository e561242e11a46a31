from django.db import migrations

DEFAULT_THEMES = [
    "Being listened to",
    "Relationship with the social worker",
    "Communication and keeping in touch",
    "Plans and decisions",
    "Help and support",
    "Changes of social worker",
]


def add_themes(apps, schema_editor):
    QuoteTheme = apps.get_model("feedback", "QuoteTheme")
    for name in DEFAULT_THEMES:
        QuoteTheme.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_feedback_links_quotes")]

    operations = [migrations.RunPython(add_themes, migrations.RunPython.noop)]
