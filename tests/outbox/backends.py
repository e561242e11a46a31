"""Mail backends for tests: one that fails as a mail server would, then recovers."""

from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class FlakyBackend(LocmemBackend):
    """Raises each exception in ``FlakyBackend.errors`` in turn, then sends to
    ``mail.outbox`` as the test backend does."""

    errors: list[BaseException] = []

    def send_messages(self, messages):
        if FlakyBackend.errors:
            raise FlakyBackend.errors.pop(0)
        return super().send_messages(messages)


def sent_to(address: str) -> int:
    return sum(address in m.to for m in mail.outbox)
