import threading

import pytest
from aiosmtpd.controller import Controller

# The operating zone's workflow fixtures, shared with its notification tests.
from tests.enterprises.conftest import accepted_registration, checker, maker  # noqa: F401


class FlakyMailServer:
    """An SMTP server (aiosmtpd, in this process) that refuses the first messages it is sent.

    `refuse` messages get a temporary failure (451), as a full or restarting server gives;
    every later one is accepted and kept in `messages` as (recipients, raw bytes).
    """

    def __init__(self, refuse: int = 0):
        self.refuse = refuse
        self.messages: list[tuple[list[str], bytes]] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            if self.refuse > 0:
                self.refuse -= 1
                return "451 4.3.0 Mailbox temporarily unavailable, try again later"
            self.messages.append((list(envelope.rcpt_tos), envelope.original_content))
        return "250 2.0.0 Message accepted for delivery"

    def recipients(self) -> list[str]:
        return sorted(r for rcpts, _ in self.messages for r in rcpts)


@pytest.fixture
def smtp_settings(settings, free_port):
    """Django sends through real SMTP to 127.0.0.1:<port>; the server is started by the test."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 10
    return settings


@pytest.fixture
def start_mail_server(smtp_settings):
    controllers = []

    def start(refuse: int = 0) -> FlakyMailServer:
        handler = FlakyMailServer(refuse=refuse)
        controller = Controller(handler, hostname="127.0.0.1", port=smtp_settings.EMAIL_PORT)
        controller.start()
        controllers.append(controller)
        return handler

    yield start
    for controller in controllers:
        controller.stop()
