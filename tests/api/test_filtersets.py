"""The declarative FilterSets: the public parameter names, both `__in` forms, repeats."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from core.filtersets import EXACT, IN, RANGE, Param, RegistryFilterSet
from investments.models import Pledge
from tests.factories import (
    CompanyFactory,
    IncentiveFactory,
    InterestRegistrationFactory,
    PledgeFactory,
    SectorFactory,
    ZoneDeveloperFactory,
    ZoneFactory,
)
from zones.filtersets import ZoneFilterSet

pytestmark = pytest.mark.django_db

EXPECTED_PARAMETERS = Path(__file__).parent / "expected" / "filter_parameters.txt"
PAGINATION = {"page", "page_size", "cursor"}


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def query_parameters(schema):
    """{"<path> <name>": parameter} for every query parameter of every GET in the schema."""
    return {
        f"{path} {parameter['name']}": parameter
        for path, operations in schema["paths"].items()
        if "get" in operations
        for parameter in operations["get"].get("parameters", ())
        if parameter["in"] == "query" and parameter["name"] not in PAGINATION
    }


def test_every_filter_parameter_partners_used_still_exists(schema):
    # Captured from the schema before the FilterSets became declarative (a contract).
    before = set(EXPECTED_PARAMETERS.read_text().split("\n")) - {""}
    now = set(query_parameters(schema))
    assert before - now == set()
    assert len(before) == 148


def test_new_parameters_are_the_documented_ones(schema):
    before = set(EXPECTED_PARAMETERS.read_text().split("\n")) - {""}
    added = {
        line.replace("/api/v1/", "").replace(" ", "?")
        for line in set(query_parameters(schema)) - before
    }
    documented = (Path(__file__).parents[2] / "docs" / "api.md").read_text()
    assert added, "the rewrite added parameters on purpose"
    paths_before = {line.split(" ")[0].replace("/api/v1/", "") for line in before}
    for parameter in added:
        path, name = parameter.split("?")
        if path in paths_before:
            assert f"`{parameter}`" in documented, parameter
        else:
            # A resource added since: its parameters are listed on its own line of the docs.
            assert listed_for(documented, path, name), parameter


def listed_for(documented: str, path: str, name: str) -> bool:
    """Whether `name` is on the docs' parameter bullet for `path` ("- plots: `status`, …")."""
    resource = path.rstrip("/").split("/")[-1]
    bullet = documented.split(f"\n- {resource}: ", 1)
    if len(bullet) < 2:
        # A resource without a filter list (a report, the change feed) documents its own.
        return f"`{path}" in documented and f"`{name}`" in documented
    text = bullet[1].split("\n- ", 1)[0]
    if name in {"updated_since", "created__gte", "created__lte"}:
        return True  # on every list, documented once
    for end in ("__gte", "__lte"):
        if name.endswith(end):
            return f"`{name.removesuffix(end)}__gte/__lte`" in text
    return f"`{name}`" in text


def test_id_filters_are_integers_from_one_and_money_filters_decimal_strings(schema):
    parameters = query_parameters(schema)
    ids = [p for key, p in parameters.items() if key.endswith(("_id", "_id__in"))]
    assert len(ids) >= 15
    for parameter in ids:
        item = parameter["schema"].get("items", parameter["schema"])
        assert (item["type"], item["minimum"]) == ("integer", 1), parameter["name"]
    money = [
        p
        for key, p in parameters.items()
        if key.split()[1].split("__")[0] in {"amount", "amount_usd", "realized_usd",
                                             "pledged_usd", "planned_investment_usd"}
    ]  # fmt: skip
    assert len(money) == 12
    for parameter in money:
        assert parameter["schema"]["type"] == "string"
        assert parameter["schema"]["format"] == "decimal"


def test_in_filters_document_both_forms(schema):
    parameter = query_parameters(schema)["/api/v1/pledges/ status__in"]
    assert parameter["schema"]["type"] == "array"
    assert "repeated" in parameter["description"]


@pytest.fixture
def pledges():
    karachi = ZoneFactory(slug="karachi", province="Sindh", city="Karachi")
    lahore = ZoneFactory(slug="lahore", province="Punjab", city="Lahore")
    gwadar = ZoneFactory(slug="gwadar", province="Balochistan", city="Gwadar")
    return {
        "committed": PledgeFactory(zone=karachi, status="committed"),
        "realized": PledgeFactory(zone=lahore, status="realized"),
        "announced": PledgeFactory(zone=gwadar, status="announced"),
    }


def listed(client, query):
    response = client.get(f"/api/v1/pledges/?{query}")
    assert response.status_code == 200, response.content
    return sorted(row["id"] for row in response.json()["results"])


@pytest.mark.parametrize(
    ("comma", "exploded"),
    (
        ("status__in=committed,realized", "status__in=committed&status__in=realized"),
        ("zone__in=karachi,lahore", "zone__in=karachi&zone__in=lahore"),
        ("province__in=Sindh,Punjab", "province__in=Sindh&province__in=Punjab"),
        ("status__in=committed,realized", "status__in=committed,realized&status__in=committed"),
    ),
)
def test_both_in_forms_give_the_same_answer(partner_client, pledges, comma, exploded):
    expected = sorted((pledges["committed"].pk, pledges["realized"].pk))
    assert listed(partner_client, comma) == expected
    assert listed(partner_client, exploded) == expected


def test_exploded_ids_give_the_same_answer(partner_client, pledges):
    ids = [pledges["committed"].zone_id, pledges["announced"].zone_id]
    expected = sorted((pledges["committed"].pk, pledges["announced"].pk))
    assert listed(partner_client, f"zone_id__in={ids[0]},{ids[1]}") == expected
    assert listed(partner_client, f"zone_id__in={ids[0]}&zone_id__in={ids[1]}") == expected


def test_exploded_values_are_each_validated(partner_client, pledges):
    response = partner_client.get("/api/v1/pledges/?status__in=committed&status__in=martian")
    assert response.status_code == 400
    assert "status__in" in response.json()["errors"]


def test_exploded_in_through_a_method_filter(partner_client):
    karachi, lahore = ZoneFactory(slug="karachi"), ZoneFactory(slug="lahore")
    ZoneFactory(slug="gwadar")
    first = InterestRegistrationFactory(zones=[karachi])
    second = InterestRegistrationFactory(zones=[lahore])
    InterestRegistrationFactory(zones=[ZoneFactory()])
    for query in ("zone__in=karachi,lahore", "zone__in=karachi&zone__in=lahore"):
        response = partner_client.get(f"/api/v1/companies/?{query}")
        assert sorted(row["id"] for row in response.json()["results"]) == sorted(
            (first.company_id, second.company_id)
        )


@pytest.mark.parametrize(
    ("path", "query", "field"),
    (
        ("pledges", "status=committed&status=realized", "status"),
        ("pledges", "zone_id=1&zone_id=2", "zone_id"),
        ("pledges", "amount__gte=1&amount__gte=2", "amount__gte"),
        ("companies", "origin=global&origin=domestic", "origin"),
        ("companies", "zone=a&zone=b", "zone"),
        ("interests", "province=Sindh&province=Punjab", "province"),
        ("zones", "province=Sindh&province=Punjab", "province"),
        ("developers", "country=PK&country=AE", "country"),
        ("incentives", "kind=tax_waiver&kind=tax_waiver", "kind"),
    ),
)
def test_a_single_value_parameter_given_twice_is_a_400(partner_client, path, query, field):
    response = partner_client.get(f"/api/v1/{path}/?{query}")
    assert response.status_code == 400, response.content
    message = response.json()["errors"][field][0]
    assert "once" in message


def test_the_repeat_error_points_to_the_in_parameter(partner_client, pledges):
    body = partner_client.get("/api/v1/pledges/?status=committed&status=realized").json()
    assert "status__in" in body["errors"]["status"][0]


def test_zone_status_stays_repeatable_for_the_catalogue_checkboxes(api_client, client):
    ZoneFactory(slug="open", status="operational")
    ZoneFactory(slug="building", status="under_development")
    ZoneFactory(slug="planned", status="approved")
    response = api_client.get("/api/v1/zones/?status=operational&status=under_development")
    assert sorted(row["slug"] for row in response.json()["results"]) == ["building", "open"]
    page = client.get("/zones/?status=operational&status=under_development")
    assert page.status_code == 200
    assert sorted(zone.slug for zone in page.context["page"]) == ["building", "open"]


def test_public_catalogue_shows_a_repeated_province_as_a_filter_error(client):
    ZoneFactory(slug="karachi", province="Sindh")
    response = client.get("/zones/?province=Sindh&province=Punjab")
    assert response.status_code == 200
    assert "once" in response.context["filterset"].errors["province"][0]
    assert ZoneFilterSet({"province": "Sindh"}).is_valid()  # a plain dict is one value each


# --- parameters added by the declarative rule ----------------------------------------


def test_zones_by_incentive_and_sector_id_lists_each_zone_once(api_client):
    tax, duty = IncentiveFactory(slug="tax"), IncentiveFactory(slug="duty")
    software, fintech = SectorFactory(slug="software"), SectorFactory(slug="fintech")
    both = ZoneFactory(slug="both")
    both.incentives.add(tax, duty)
    both.sectors.add(software, fintech)
    ZoneFactory(slug="neither")
    for query in (
        "incentive__in=tax,duty",
        f"incentive_id={tax.pk}",
        f"incentive_id__in={tax.pk},{duty.pk}",
        f"sector_id__in={software.pk},{fintech.pk}",
    ):
        response = api_client.get(f"/api/v1/zones/?{query}")
        assert [row["slug"] for row in response.json()["results"]] == ["both"], query


def test_pledges_by_developer_origin_and_city_lists(partner_client):
    tpl = ZoneDeveloperFactory(slug="tpl")
    karachi = ZoneFactory(slug="karachi", city="Karachi", developer=tpl)
    mine = PledgeFactory(zone=karachi, company=CompanyFactory(origin="global", country="DE"))
    PledgeFactory(zone=ZoneFactory(city="Lahore"))
    for query in (
        "developer__in=tpl,other",
        f"developer_id__in={tpl.pk}",
        "origin__in=global",
        "city__in=Karachi,Quetta",
    ):
        assert listed(partner_client, query) == [mine.pk], query


def test_registrations_by_origin_list(partner_client):
    mine = InterestRegistrationFactory(company=CompanyFactory(origin="global", country="DE"))
    InterestRegistrationFactory()
    response = partner_client.get("/api/v1/interests/?origin__in=global")
    assert [row["reference"] for row in response.json()["results"]] == [mine.reference]


def test_money_filters_take_decimal_strings(partner_client):
    PledgeFactory(amount=Decimal("1000.50"))
    assert len(listed(partner_client, "amount__gte=1000.50")) == 1
    assert listed(partner_client, "amount__gte=1000.51") == []
    assert partner_client.get("/api/v1/pledges/?amount__gte=1e3").status_code in (200, 400)
    assert partner_client.get("/api/v1/pledges/?amount__gte=1.234").status_code == 400


# --- the base class --------------------------------------------------------------------


def test_a_declaration_generates_one_filter_per_lookup_by_the_naming_rule():
    class Declared(RegistryFilterSet):
        class Meta:
            model = Pledge
            fields = {
                "status": Param(),
                "zone": Param("zone__slug", lookups=(EXACT,)),
                "pledged_on": Param(lookups=(EXACT, *RANGE)),
                "amount_usd": Param(lookups=RANGE),
            }

    generated = set(Declared.base_filters) - set(RegistryFilterSet.base_filters)
    assert generated == {
        "status", "status__in", "zone", "pledged_on", "pledged_on__gte", "pledged_on__lte",
        "amount_usd__gte", "amount_usd__lte",
    }  # fmt: skip
    assert Declared.base_filters["zone"].field_name == "zone__slug"
    assert Declared.base_filters["status__in"].lookup_expr == IN
    filtered = Declared(
        {"status__in": "committed", "pledged_on__gte": "2026-01-01"}, queryset=Pledge.objects.all()
    )
    assert filtered.is_valid()
    PledgeFactory(status="committed", pledged_on=datetime.date(2026, 3, 1))
    PledgeFactory(status="announced", pledged_on=datetime.date(2026, 3, 1))
    assert [p.status for p in filtered.qs] == ["committed"]


def test_text_is_case_insensitive_and_slugs_exact():
    class Declared(RegistryFilterSet):
        class Meta:
            model = Pledge
            fields = {"currency": Param(), "zone": Param("zone__slug")}

    assert Declared.base_filters["currency"].lookup_expr == "iexact"
    assert Declared.base_filters["zone"].lookup_expr == "exact"


@pytest.mark.parametrize(
    ("fields", "message"),
    (
        ({"nothing": Param()}, "give the kind"),
        ({"pledged_on": Param(lookups=(IN,))}, "has no __in"),
        ({"status": Param(lookups=("startswith",))}, "unknown lookup"),
        (("status",), "maps parameter names to Param"),
    ),
)
def test_a_wrong_declaration_fails_when_the_class_is_defined(fields, message):
    with pytest.raises(TypeError, match=message):
        type(
            "Wrong",
            (RegistryFilterSet,),
            {"Meta": type("Meta", (), {"model": Pledge, "fields": fields})},
        )
