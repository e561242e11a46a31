from .services import loop_check, review_import


def on_audit_submitted(sender, audit, user, **kwargs):
    """A submitted audit may complete a looped pair: compare the two."""
    loop_check(audit=audit)


def on_moderation_imported(
    sender, audit, moderated_grade, domain_grades, moderator, moderated_on, user, **kwargs
):
    """An imported audit's row recorded its moderation: store it as a final review."""
    review_import(
        audit=audit,
        moderated_grade=moderated_grade,
        domain_grades=domain_grades,
        moderator=moderator,
        moderated_on=moderated_on,
        user=user,
    )
