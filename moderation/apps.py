from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderation"

    def ready(self):
        from audits.signals import audit_submitted, moderation_imported

        from .receivers import on_audit_submitted, on_moderation_imported

        audit_submitted.connect(on_audit_submitted, dispatch_uid="moderation.loop_check")
        moderation_imported.connect(on_moderation_imported, dispatch_uid="moderation.import")
