from .services import loop_check, reviews_import


def on_audit_submitted(sender, audit, user, **kwargs):
    """A submitted audit may complete a looped pair: compare the two."""
    loop_check(audit=audit)


def on_moderations_imported(sender, moderations, user, **kwargs):
    """Imported audits' rows recorded their moderation: store each as a final review."""
    reviews_import(moderations=moderations, user=user)
