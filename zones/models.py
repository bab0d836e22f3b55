from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel

from .choices import IncentiveKind, ZoneStatus
from .querysets import ZoneQuerySet


class Sector(TimeStampedModel):
    """An industry sector (software, fintech, hardware …) shared by zones and companies."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ("name",)

    def __str__(self):
        return self.name


class ZoneDeveloper(TimeStampedModel):
    """A company licensed to build and run zones, such as TPL Corp."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    legal_name = models.CharField(max_length=300, blank=True)
    registration_number = models.CharField(max_length=100, blank=True)
    country = CountryField(default="PK")
    website = models.URLField(blank=True)
    licence_number = models.CharField(max_length=100, blank=True)
    licence_issued_on = models.DateField(null=True, blank=True)
    licence_expires_on = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ("name",)
        constraints = [
            models.CheckConstraint(
                condition=Q(licence_expires_on__isnull=True)
                | Q(licence_issued_on__isnull=True)
                | Q(licence_expires_on__gte=models.F("licence_issued_on")),
                name="zonedeveloper_licence_expires_after_issue",
                violation_error_message="A licence cannot expire before it is issued.",
            ),
        ]

    def __str__(self):
        return self.name


def _reading_urdu() -> bool:
    return (translation.get_language() or "").startswith("ur")


def local_text(english: str, urdu: str) -> str:
    """What the page's reader sees of a text staff typed in both languages: Urdu when entered."""
    return urdu if urdu and _reading_urdu() else english


class Incentive(TimeStampedModel):
    """A benefit a zone offers, such as a 10-year corporate-tax waiver."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(
        max_length=30, choices=IncentiveKind.choices, default=IncentiveKind.OTHER
    )
    duration_years = models.PositiveSmallIntegerField(null=True, blank=True)
    description = models.TextField(blank=True)
    # The public site shows these to Urdu readers; empty, they see the English.
    name_ur = models.CharField("name in Urdu", max_length=200, blank=True)
    description_ur = models.TextField("description in Urdu", blank=True)

    class Meta:
        ordering = ("name",)
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=IncentiveKind.values),
                name="incentive_kind_valid",
                violation_error_message="Unknown incentive kind.",
            ),
            models.CheckConstraint(
                condition=Q(duration_years__isnull=True) | Q(duration_years__gt=0),
                name="incentive_duration_positive",
                violation_error_message="An incentive's duration must be at least one year.",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def local_name(self) -> str:
        return local_text(self.name, self.name_ur)

    @property
    def local_description(self) -> str:
        return local_text(self.description, self.description_ur)


class Zone(TimeStampedModel):
    """A technology zone: where it is, who develops it and where it stands in its rollout."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    developer = models.ForeignKey(ZoneDeveloper, on_delete=models.PROTECT, related_name="zones")
    city = models.CharField(max_length=100, db_index=True)
    province = models.CharField(max_length=100, db_index=True)
    country = CountryField(default="PK")
    latitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    area_hectares = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    sectors = models.ManyToManyField(Sector, blank=True, related_name="zones")
    incentives = models.ManyToManyField(Incentive, blank=True, related_name="zones")
    status = models.CharField(
        max_length=30, choices=ZoneStatus.choices, default=ZoneStatus.PROPOSED, db_index=True
    )
    target_opening_date = models.DateField(null=True, blank=True, db_index=True)
    actual_opening_date = models.DateField(null=True, blank=True, db_index=True)
    description = models.TextField(blank=True)
    # The public site shows these to Urdu readers; empty, they see the English.
    name_ur = models.CharField("name in Urdu", max_length=200, blank=True)
    description_ur = models.TextField("description in Urdu", blank=True)

    objects = ZoneQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated"])

    class Meta:
        ordering = ("name",)
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ZoneStatus.values),
                name="zone_status_valid",
                violation_error_message="Unknown zone status.",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="zone_latitude_range",
                violation_error_message="Latitude must lie between -90 and 90.",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="zone_longitude_range",
                violation_error_message="Longitude must lie between -180 and 180.",
            ),
            models.CheckConstraint(
                condition=Q(area_hectares__isnull=True) | Q(area_hectares__gt=0),
                name="zone_area_positive",
                violation_error_message="A zone's area must be positive.",
            ),
        ]
        indexes = [models.Index(fields=["province", "status"], name="zone_province_status")]

    def __str__(self):
        return self.name

    @property
    def local_name(self) -> str:
        """The name in the language of the page: Urdu when staff entered one."""
        return local_text(self.name, self.name_ur)

    @property
    def local_description(self) -> str:
        return local_text(self.description, self.description_ur)

    def get_absolute_url(self):
        return reverse("public:zone-detail", kwargs={"slug": self.slug})


class ZoneStatusChange(TimeStampedModel):
    """One step in a zone's rollout; the timeline is drawn from these rows."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(max_length=30, choices=ZoneStatus.choices)
    changed_on = models.DateField()
    note = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("zone", "changed_on", "id")
        get_latest_by = ("changed_on", "id")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ZoneStatus.values),
                name="zonestatuschange_status_valid",
                violation_error_message="Unknown zone status.",
            ),
        ]
        indexes = [models.Index(fields=["zone", "changed_on"], name="zonestatus_zone_date")]

    def __str__(self):
        return f"{self.zone}: {self.get_status_display()} on {self.changed_on}"
