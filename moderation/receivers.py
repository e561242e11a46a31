from .services import loop_check


def on_audit_submitted(sender, audit, user, **kwargs):
    """A submitted audit may complete a looped pair: compare the two."""
    loop_check(audit=audit)
