"""The drawing of the import graph: layers point down, nothing leaves core, no cycle, current."""

import pytest

from scripts import import_graph

DOMAIN_APPS = ("zones", "companies", "investments", "enterprises", "partners", "notifications")


@pytest.fixture(scope="module")
def graph():
    config = import_graph.importlinter_config()
    names = import_graph.packages(config)
    surfaces = import_graph.surface_names(config)
    domain, surface = import_graph.app_imports(names, surfaces)
    return {"order": import_graph.layer_order(config, names), "domain": domain, "surface": surface}


def test_no_arrow_leaves_core_for_a_domain_app(graph):
    arrows = set(graph["domain"]) | set(graph["surface"])
    assert [arrow for arrow in arrows if arrow[0] == "core" and arrow[1] in DOMAIN_APPS] == []


def test_core_imports_no_other_package_of_the_project(graph):
    arrows = set(graph["domain"]) | set(graph["surface"])
    assert {target for source, target in arrows if source == "core"} == set()


def test_no_cycle_between_apps(graph):
    assert import_graph.cycles(set(graph["domain"])) == []


def test_every_domain_arrow_points_to_a_lower_layer(graph):
    rank = {name: index for index, name in enumerate(graph["order"])}
    upward = [(s, t) for s, t in graph["domain"] if rank[s] >= rank[t]]
    assert upward == []


def test_architecture_drawing_is_current():
    committed = (import_graph.OUTPUT).read_text(encoding="utf-8")
    assert committed == import_graph.render(), "run `make import-graph` and commit the drawing"


def test_every_django_app_is_drawn(graph):
    apps = {path.parent.name for path in import_graph.ROOT.glob("*/apps.py")}
    assert apps <= set(graph["order"])


def test_cycle_finder_finds_cycles_and_only_cycles():
    assert import_graph.cycles({("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")}) == [
        ["a", "b", "c"]
    ]
    assert import_graph.cycles({("a", "b"), ("b", "c"), ("a", "c")}) == []


def test_new_apps_take_their_place_from_the_layers_contract():
    config = {
        "contracts": [
            {
                "id": "layers",
                "layers": ["programme", "notifications", "partners", "(enterprises)", "zones"],
                "ignore_imports": ["**.admin -> **", "**.api.** -> **"],
            }
        ]
    }
    names = ["zones", "enterprises", "notifications", "partners", "programme", "newapp"]
    assert import_graph.layer_order(config, names) == [
        "programme",
        "notifications",
        "partners",
        "enterprises",
        "zones",
        "newapp",
    ]
    assert import_graph.surface_names(config) == {"admin", "api"}
    assert import_graph.is_surface("zones.api.views", {"api"})
    assert not import_graph.is_surface("api.permissions", {"api"})
