"""The feedback app's emails, sent once the transaction that asked for them commits.

Every email this app sends goes through ``send_after_commit``: one place to change how
they are delivered.
"""

from django.db import transaction

from common import emails


def send_after_commit(name: str, to: list[str], context: dict) -> None:
    """Send the email ``name`` (templates ``emails/<name>-…``) after the commit."""
    if not to:
        return
    transaction.on_commit(lambda: emails.send(name, to, context))
