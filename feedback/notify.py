"""The feedback app's emails, planned in the outbox with the change that asked for them.

Every email this app sends goes through ``send_after_commit``: one place to change how
they are delivered. The outbox sends it once the transaction commits; a family's link
is not kept in the outbox once sent (it would open the family's form).
"""

from outbox.services import email_plan


def send_after_commit(name: str, to: list[str], context: dict, *, keep_body: bool = True) -> None:
    """Plan the email ``name`` (templates ``emails/<name>-…``) for after the commit."""
    if not to:
        return
    email_plan(name, to, context, keep_body=keep_body)
