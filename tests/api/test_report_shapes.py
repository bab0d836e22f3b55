"""One declared shape per report: the dataclasses of programme.reports, and the serializers."""

import dataclasses
import inspect
import typing

import pytest
from rest_framework import serializers

from programme import reports
from programme.api import serializers as report_serializers

pytestmark = pytest.mark.django_db

SHAPED = [
    serializer
    for _, serializer in inspect.getmembers(report_serializers, inspect.isclass)
    if issubclass(serializer, serializers.Serializer) and hasattr(serializer, "shape")
]


def element_type(annotation):
    """`tuple[X, ...]` → X; anything else as it is."""
    if typing.get_origin(annotation) is tuple:
        return typing.get_args(annotation)[0]
    return annotation


def test_every_report_shape_has_a_serializer():
    shapes = {serializer.shape for serializer in SHAPED}
    assert len(SHAPED) == 21
    for report in (reports.RolloutReport, reports.InvestmentReport, reports.CompaniesReport):
        assert report in shapes


@pytest.mark.parametrize("serializer", SHAPED, ids=lambda s: s.__name__)
def test_a_serializer_writes_its_shape_field_for_field_in_order(serializer):
    shape_fields = [field.name for field in dataclasses.fields(serializer.shape)]
    assert list(serializer().fields) == shape_fields


@pytest.mark.parametrize("serializer", SHAPED, ids=lambda s: s.__name__)
def test_nested_serializers_match_the_nested_shapes(serializer):
    hints = typing.get_type_hints(serializer.shape)
    for name, field in serializer().fields.items():
        nested = field.child if isinstance(field, serializers.ListSerializer) else field
        if isinstance(nested, serializers.Serializer):
            assert nested.shape is element_type(hints[name]), name


@pytest.mark.parametrize(
    "report", (reports.rollout_report, reports.investment_report, reports.companies_report)
)
def test_report_results_are_frozen(report):
    result = report()
    assert dataclasses.is_dataclass(result)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.totals = None
    assert isinstance(result.targets, tuple)


def test_the_summary_and_target_progress_are_typed_too():
    summary = reports.programme_summary()
    assert isinstance(summary, reports.ProgrammeSummary)
    assert summary.pledge_count == 0
    with pytest.raises(dataclasses.FrozenInstanceError):
        summary.pledge_count = 1
