"""Operating-zone events, announced inside the transaction of the change.

Listeners (the notifications app: emails to the enterprise's people, partner webhooks) write
their outbox rows in the same transaction, so a rolled-back step announces nothing and a
committed one is never lost. This app stays below its listeners: it only sends signals.
"""

from django.dispatch import Signal

# Sent with `enterprise` and `event` (the LicenceEvent just recorded).
licence_changed_signal = Signal()
# Sent with `annual_return` and `previous_status` after a return was submitted or reviewed.
return_status_changed_signal = Signal()


def licence_changed(enterprise, *, event) -> None:
    """Announce a licence event (issued, renewed, amended, suspended, …)."""
    licence_changed_signal.send(sender=type(enterprise), enterprise=enterprise, event=event)


def return_status_changed(annual_return, *, previous_status: str) -> None:
    return_status_changed_signal.send(
        sender=type(annual_return), annual_return=annual_return, previous_status=previous_status
    )
