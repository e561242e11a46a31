from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Closing the loop"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from audits.signals import audit_accepted, final_grade_set, final_grades_set

        from . import signals
        from .models import ActionUpdate

        audit_accepted.connect(signals.on_audit_accepted, dispatch_uid="actions.raise")
        final_grade_set.connect(signals.on_final_grade_set, dispatch_uid="actions.final_grade")
        final_grades_set.connect(signals.on_final_grades_set, dispatch_uid="actions.final_grades")
        for written in (post_save, post_delete):
            written.connect(
                signals.on_update_written, sender=ActionUpdate, dispatch_uid="actions.update_dates"
            )
