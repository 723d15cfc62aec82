"""A real SMTP server for tests (aiosmtpd) on a free port of 127.0.0.1, the app configured
to send through it while it runs."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from email import policy

from aiosmtpd.controller import Controller


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@contextmanager
def smtp_server(app, **config) -> Iterator[Inbox]:
    """The server's inbox; ``app`` sends through it (with ``config`` added) until the end."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False, **config)
    try:
        yield inbox
    finally:
        controller.stop()
        app.config.update(MAIL_SERVER=None)
