import rules
from django.conf import settings

from accounts.permissions import grant_model_permissions, is_administrator, is_qa_lead


@rules.predicate
def is_recipient(user, email):
    return email is not None and email.recipient_id == user.pk


@rules.predicate
def sent_emails_readable(user):
    """Reading what others were sent is for the demo (DEBUG, or SHOW_SENT_EMAILS on)."""
    return bool(getattr(settings, "SHOW_SENT_EMAILS", settings.DEBUG))


oversees_emails = is_qa_lead | is_administrator

# Every email's recipient, kind, state and failure reason.
rules.add_perm("outbox.view_sent_emails", oversees_emails)
# An email's text: always one's own; others' only in the demo.
rules.add_perm("outbox.read_email", is_recipient | (oversees_emails & sent_emails_readable))

grant_model_permissions("outbox", ["outboxemail"], oversees_emails, actions=("view",))
