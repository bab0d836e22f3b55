"""Companies and registrations: partner views without personal data, staff views with it.

Contact details (name, email, phone) appear only in the *Staff* serializers; the
viewsets pick those for staff sessions alone, so a partner key can never see them.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import slug_re
from django.utils.encoding import smart_str
from django_countries import countries
from rest_framework import serializers

from api.fields import MoneyField
from companies import rules
from companies.choices import Origin
from companies.models import Company, Contact, InterestRegistration
from core.query import by_slug_or_id
from zones.api.serializers import SectorSerializer, ZoneBriefSerializer
from zones.models import Sector, Zone


class ContactSerializer(serializers.ModelSerializer):
    """Personal data: staff only."""

    class Meta:
        model = Contact
        fields = ("id", "name", "email", "phone", "role")


class CompanyBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Company
        fields = ("id", "name", "origin", "country")


class CompanySerializer(serializers.ModelSerializer):
    sector = SectorSerializer(read_only=True, allow_null=True)
    pledged_usd = MoneyField(help_text="Pledged USD, cancelled pledges excluded.")
    realized_usd = MoneyField(help_text="USD actually invested so far.")
    pledge_count = serializers.IntegerField(read_only=True)
    registration_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Company
        fields = (
            "id",
            "name",
            "origin",
            "country",
            "sector",
            "website",
            "size",
            "description",
            "pledged_usd",
            "realized_usd",
            "pledge_count",
            "registration_count",
            "created",
            "updated",
        )


class CompanyStaffSerializer(CompanySerializer):
    contacts = ContactSerializer(many=True, read_only=True)

    class Meta(CompanySerializer.Meta):
        fields = (*CompanySerializer.Meta.fields, "contacts")


class InterestRegistrationSerializer(serializers.ModelSerializer):
    company = CompanyBriefSerializer(read_only=True)
    zones = ZoneBriefSerializer(many=True, read_only=True)

    class Meta:
        model = InterestRegistration
        fields = (
            "id",
            "reference",
            "company",
            "zones",
            "channel",
            "status",
            "planned_investment_usd",
            "planned_jobs",
            "target_date",
            "reviewed_at",
            "created",
            "updated",
        )


class InterestRegistrationStaffSerializer(InterestRegistrationSerializer):
    contact = ContactSerializer(read_only=True, allow_null=True)
    submitted_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    reviewer = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta(InterestRegistrationSerializer.Meta):
        fields = (
            *InterestRegistrationSerializer.Meta.fields,
            "contact",
            "message",
            "submitted_by",
            "reviewer",
            "review_note",
        )


class SlugLookupField(serializers.SlugRelatedField):
    """A related object by slug; text that cannot be a slug is refused before any query.

    PostgreSQL cannot even compare text holding a NUL byte, so such input must never
    reach the lookup: it was a 500 found by the live fuzz test.
    """

    def to_internal_value(self, data):
        if not isinstance(data, str) or not slug_re.fullmatch(data):
            self.fail("does_not_exist", slug_name=self.slug_field, value=smart_str(data)[:100])
        return super().to_internal_value(data)


class InterestSubmissionSerializer(serializers.Serializer):
    """What a partner sends to register a company's interest (the public form's fields).

    It parses types and formats only; what a registration may contain is decided by
    companies.services.registration_submit, exactly as for the public form.
    """

    company_name = serializers.CharField(max_length=200)
    origin = serializers.ChoiceField(choices=Origin.choices)
    country = serializers.ChoiceField(
        choices=list(countries), help_text="ISO 3166-1 alpha-2 code, e.g. PK."
    )
    sector = SlugLookupField(
        slug_field="slug",
        queryset=Sector.objects.all(),
        required=False,
        allow_null=True,
        help_text="Sector slug, as in a zone's `sectors`.",
    )
    website = serializers.URLField(max_length=200, required=False, allow_blank=True)
    contact_name = serializers.CharField(max_length=200)
    contact_email = serializers.EmailField(max_length=254)
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    zones = serializers.ListField(
        child=serializers.CharField(max_length=200),
        help_text=(
            f"Zone slugs or ids: at least one, at most {rules.MAX_ZONES_PER_REGISTRATION}, "
            "each open for registration."
        ),
    )
    planned_investment_usd = serializers.DecimalField(
        max_digits=18,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text=f"0 to {rules.MAX_PLANNED_INVESTMENT_USD:.0f}.",
    )
    planned_jobs = serializers.IntegerField(
        required=False, allow_null=True, help_text=f"0 to {rules.MAX_PLANNED_JOBS}."
    )
    target_date = serializers.DateField(required=False, allow_null=True)
    message = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=f"At most {rules.MAX_MESSAGE_LENGTH} characters.",
    )

    def validate_zones(self, values):
        # The count before the look-up, so that thousands of values cost no query; every
        # other rule is the service's (companies.rules), whose errors come back as a 400.
        try:
            rules.check_zone_count(len(set(values)))
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict["zones"]) from None
        found, unknown = by_slug_or_id(Zone.objects.all(), values)
        if unknown:
            raise serializers.ValidationError(
                f"No zone with slug or id {', '.join(unknown)}. GET /api/v1/zones/ lists them."
            )
        return found
