"""Registration events, announced inside the transaction of the change.

Whoever listens (the notifications app: emails to the company and staff, partner webhooks)
writes its outbox rows in the same transaction, so a rolled-back change announces nothing and
a committed one is never lost. This app stays below its listeners: it only sends signals.
"""

from django.dispatch import Signal

# Sent with `registration`, once a new registration and its zones are saved.
registration_received_signal = Signal()
# Sent with `registration`, `previous_status` and `note` after a review step.
registration_status_changed_signal = Signal()
# Sent with `registration` and `message` when the company answers an information request.
registration_answered_signal = Signal()


def registration_received(registration) -> None:
    """Announce a new registration; call inside the transaction that saved it."""
    registration_received_signal.send(sender=type(registration), registration=registration)


def registration_status_changed(registration, *, previous_status: str, note: str = "") -> None:
    """Announce a review step; call inside the transaction that made it."""
    registration_status_changed_signal.send(
        sender=type(registration),
        registration=registration,
        previous_status=previous_status,
        note=note,
    )


def registration_answered(registration, *, message: str) -> None:
    """Announce the company's answer; call inside the transaction that recorded it."""
    registration_answered_signal.send(
        sender=type(registration), registration=registration, message=message
    )
