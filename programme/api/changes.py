"""The changes feed: every upsert and delete of a synced resource, in commit-safe order."""

from django.utils.functional import cached_property
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from api.permissions import is_partner, is_staff
from companies.api.serializers import CompanySerializer, InterestRegistrationSerializer
from companies.api.views import CompanyViewSet, InterestRegistrationViewSet
from investments.api.serializers import PledgeSerializer
from investments.api.views import PledgeViewSet
from programme.choices import PUBLIC_RESOURCES, ChangeKind, SyncResource
from programme.sync import Position, changes_after, current_position
from zones.api.serializers import IncentiveSerializer, ZoneDeveloperSerializer, ZoneSerializer
from zones.api.views import IncentiveViewSet, ZoneDeveloperViewSet, ZoneViewSet

# resource → (the list endpoint's queryset, its partner serializer): a change carries the row
# exactly as the list shows it, totals included, and never personal data.
SOURCES = {
    SyncResource.ZONE: (ZoneViewSet.queryset, ZoneSerializer),
    SyncResource.DEVELOPER: (ZoneDeveloperViewSet.queryset, ZoneDeveloperSerializer),
    SyncResource.INCENTIVE: (IncentiveViewSet.queryset, IncentiveSerializer),
    SyncResource.COMPANY: (CompanyViewSet.queryset, CompanySerializer),
    SyncResource.INTEREST: (InterestRegistrationViewSet.queryset, InterestRegistrationSerializer),
    SyncResource.PLEDGE: (PledgeViewSet.queryset, PledgeSerializer),
}
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


class CursorField(serializers.CharField):
    default_error_messages = {
        "not_a_cursor": "Not a cursor this feed handed out: use `cursor` from a changes "
        "response or from GET /api/v1/changes/cursor/."
    }

    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        if not text:
            return Position(0, 0)  # `after=`: from the beginning, like an absent `after`
        try:
            if len(text) > 100:  # far longer than any cursor we hand out
                raise ValueError("too long")
            return Position.decode(text)
        except ValueError:
            self.fail("not_a_cursor")


class ChangeQuerySerializer(serializers.Serializer):
    after = CursorField(
        required=False,
        allow_blank=True,
        help_text="Resume after this cursor (the `cursor` of the previous response, or of "
        "GET changes/cursor/ taken before a full read). Omit it, or leave it empty, to read "
        "from the beginning.",
    )
    page_size = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        default=DEFAULT_PAGE_SIZE,
        help_text=f"Changes per page, up to {MAX_PAGE_SIZE}.",
    )


class ChangeSerializer(serializers.Serializer):
    resource = serializers.ChoiceField(choices=SyncResource.choices)
    id = serializers.IntegerField(
        source="object_id", help_text="The row's id: key your copy on it."
    )
    lookup = serializers.CharField(
        help_text="Slug (zone, developer, incentive) or reference (interest) when the change "
        "was made; blank otherwise."
    )
    kind = serializers.ChoiceField(choices=ChangeKind.choices)
    recorded_at = serializers.DateTimeField()
    data = serializers.SerializerMethodField(
        help_text="For an upsert, the row as its list endpoint shows it now; null for a delete, "
        "or when the row has been deleted since (its delete follows in the feed)."
    )

    def get_data(self, change) -> dict | None:
        return self.context["rows"].get((change.resource, change.object_id))


class ChangePageSerializer(serializers.Serializer):
    cursor = serializers.CharField(help_text="Where to resume: send it back as `after`.")
    next = serializers.URLField(
        allow_null=True, help_text="The next page's address; null when you have caught up."
    )
    results = ChangeSerializer(many=True)


class ChangeCursorSerializer(serializers.Serializer):
    cursor = serializers.CharField(help_text="Read changes after this once your full read is done.")


class ChangeFeedView(APIView):
    """Every created, changed and deleted row, oldest first, never past a write in flight.

    Anonymous callers see changes to public resources (zones, developers, incentives);
    partners and staff see every kind. docs/api.md section 6 gives the sync algorithm.
    """

    @cached_property
    def visible_resources(self):
        if is_partner(self.request) or is_staff(self.request):
            return None
        return PUBLIC_RESOURCES

    @extend_schema(
        summary="Changes feed",
        parameters=[ChangeQuerySerializer],
        responses={200: ChangePageSerializer},
    )
    def get(self, request):
        query = ChangeQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        # DRF hands a blank value back as "" without calling the field: from the beginning.
        after = query.validated_data.get("after") or Position(0, 0)
        page_size = query.validated_data["page_size"]
        changes, resume_at, more = changes_after(
            after, limit=page_size, resources=self.visible_resources
        )
        cursor = resume_at.encode()
        body = {
            "cursor": cursor,
            "next": (
                replace_query_param(request.build_absolute_uri(), "after", cursor) if more else None
            ),
            "results": ChangeSerializer(
                changes, many=True, context={"rows": self.current_rows(changes)}
            ).data,
        }
        return Response(body)

    def current_rows(self, changes) -> dict:
        """{(resource, id): the row as its list shows it} for the upserts, one query a resource."""
        wanted = {}
        for change in changes:
            if change.kind == ChangeKind.UPSERT:
                wanted.setdefault(change.resource, set()).add(change.object_id)
        rows = {}
        context = {"request": self.request}
        for resource, ids in wanted.items():
            queryset, serializer_class = SOURCES[resource]
            for instance in queryset.all().filter(pk__in=ids):
                rows[resource, instance.pk] = serializer_class(instance, context=context).data
        return rows


class ChangeCursorView(APIView):
    """The feed's current cursor: take it *before* a full read, then read changes after it."""

    @extend_schema(
        summary="Current changes cursor",
        responses={200: OpenApiResponse(ChangeCursorSerializer)},
    )
    def get(self, request):
        return Response({"cursor": current_position().encode()})
