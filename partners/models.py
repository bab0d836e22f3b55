from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from rest_framework_api_key.models import AbstractAPIKey


class PartnerKey(AbstractAPIKey):
    """A partner system's API key; only its hash is stored (the library hashes it)."""

    organisation = models.CharField(
        max_length=200, blank=True, help_text="Who holds the key, e.g. the statistics office."
    )
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta(AbstractAPIKey.Meta):
        verbose_name = "partner API key"
        verbose_name_plural = "partner API keys"


class IdempotencyRecord(models.Model):
    """The first answer to a POST with an Idempotency-Key, replayed to any repeat of it."""

    # Exactly one of partner_key / user owns the idempotency key (partners and staff
    # both submit registrations; their key spaces must not collide).
    partner_key = models.ForeignKey(
        PartnerKey, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    key = models.CharField(max_length=255)
    # SHA-256 of the canonical JSON body: tells a true repeat from a reused key.
    request_fingerprint = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField(encoder=DjangoJSONEncoder)
    registration = models.ForeignKey(
        "companies.InterestRegistration",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("-created",)
        constraints = [
            # The database, not an exists() check, decides which of two racing
            # requests with one key wins; the loser replays the winner's answer.
            models.UniqueConstraint(
                fields=["partner_key", "key"],
                condition=Q(partner_key__isnull=False),
                name="idempotency_unique_per_partner_key",
                violation_error_message="This Idempotency-Key has already been used.",
            ),
            models.UniqueConstraint(
                fields=["user", "key"],
                condition=Q(user__isnull=False),
                name="idempotency_unique_per_user",
                violation_error_message="This Idempotency-Key has already been used.",
            ),
            models.CheckConstraint(
                condition=Q(partner_key__isnull=False, user__isnull=True)
                | Q(partner_key__isnull=True, user__isnull=False),
                name="idempotency_one_owner",
                violation_error_message="An idempotency record belongs to a key or a user.",
            ),
        ]

    def __str__(self):
        return f"{self.key} → {self.response_status}"
