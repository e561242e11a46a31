"""A real SMTP server for tests (aiosmtpd on 127.0.0.1), that counts what it accepted.

It can be started late (to stand for a mail server that is down), refuse chosen
addresses with 550 as a real server does, and be slow to accept recipients so that a
worker can be killed in the middle of a conversation.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections import Counter
from email import message_from_bytes

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Handler:
    def __init__(self):
        self.lock = threading.Lock()
        self.accepted: list[dict] = []  # each message the server said 250 to
        self.refuse: set[str] = set()
        self.rcpt_delay = 0.0
        self.rcpt_seen = 0  # recipients offered, including those of killed clients

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            self.rcpt_seen += 1
        if address.lower() in self.refuse:
            return "550 5.1.1 Mailbox unknown"
        if self.rcpt_delay:
            await asyncio.sleep(self.rcpt_delay)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content)
        with self.lock:
            self.accepted.append(
                {"to": list(envelope.rcpt_tos), "message_id": message["Message-ID"]}
            )
        return "250 Message accepted for delivery"

    def copies(self) -> Counter:
        with self.lock:
            return Counter(address for m in self.accepted for address in m["to"])

    def reset(self) -> None:
        with self.lock:
            self.accepted.clear()
            self.rcpt_seen = 0


class SMTPServer:
    def __init__(self):
        self.port = free_port()
        self.handler = Handler()
        self.controller: Controller | None = None

    @property
    def env(self) -> dict:
        """The environment that points a worker at this server."""
        return {
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.port),
            "EMAIL_USE_TLS": "false",
            "EMAIL_TIMEOUT": "5",
        }

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
