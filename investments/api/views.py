from rest_framework import viewsets

from api.permissions import IsPartnerOrStaff
from investments.filtersets import PledgeFilterSet
from investments.models import Pledge
from investments.selectors import pledge_count

from .serializers import (
    PledgeSerializer,
)


class PledgeViewSet(viewsets.ReadOnlyModelViewSet):
    """Pledges with their USD equivalents and what has been realised. Partners and staff."""

    queryset = Pledge.objects.select_related("company", "zone", "registration")
    serializer_class = PledgeSerializer
    permission_classes = (IsPartnerOrStaff,)
    filterset_class = PledgeFilterSet
    search_fields = ("company__name", "zone__name", "description")
    ordering_fields = (
        "pledged_on",
        "amount_usd",
        "realized_usd",
        "status",
        "currency",
        "created",
        "updated",
    )
    ordering = ("-pledged_on", "-id")

    def unfiltered_count(self) -> int:
        """Every pledge, from the summary rows (api.pagination.PagePagination)."""
        return pledge_count()
