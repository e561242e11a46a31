from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderation"

    def ready(self):
        from audits.signals import audit_submitted, moderations_imported

        from .receivers import on_audit_submitted, on_moderations_imported

        audit_submitted.connect(on_audit_submitted, dispatch_uid="moderation.loop_check")
        moderations_imported.connect(on_moderations_imported, dispatch_uid="moderation.import")
