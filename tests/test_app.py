"""Every page of the Streamlit app renders through AppTest (real Streamlit, no mocks),
on the bundled graph and on a minimal graph; widgets change what is shown."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from conftest import MINI, ROOT

APP = str(ROOT / "app" / "streamlit_app.py")
PAGES = ["overview", "matrix", "gaps", "priorities", "network", "entity", "sparql", "downloads"]


def shown(at: AppTest) -> str:
    """Everything the page shows as HTML built from the data (state.show, state.heading)."""
    return " ".join(h.proto.body for h in at.get("html"))


@pytest.fixture
def app_on(monkeypatch):
    def start(data: str = "", page: str = "overview", params: dict | None = None) -> AppTest:
        monkeypatch.setenv("HARMGRAPH_DATA", data)
        at = AppTest.from_file(APP, default_timeout=90)
        for key, value in (params or {}).items():
            at.query_params[key] = value
        if page != "overview":
            at.switch_page(f"app_pages/{page}.py")
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return start


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_on_bundled_graph(app_on, page):
    at = app_on(page=page)
    assert at.title or at.selectbox or at.get("html")


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_on_minimal_graph(app_on, page):
    app_on(str(MINI), page=page)


def test_overview_counts_and_top_gaps(app_on):
    at = app_on()
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["Harms"].replace(",", "")) >= 20
    assert not at.warning
    assert "<strong>1.</strong>" in shown(at)


def test_overview_counts_are_those_of_stats(app_on):
    """Regression: the app said 54 interventions where the README said 46. The Overview shows
    the counts of `harmgraph stats`, types and facets among them, and says what each counts."""
    from harmgraph import graph_stats, load_graph

    counts = graph_stats(load_graph())
    at = app_on()
    metrics = {m.label: m for m in at.metric}
    for label, key in [
        ("Harms", "harms"),
        ("of them harm facets", "harm_facets"),
        ("Interventions", "interventions"),
        ("of them intervention types", "intervention_types"),
        ("Sources", "sources"),
    ]:
        assert metrics[label].value == f"{counts[key]:,}", label
    assert "intervention types included" in metrics["Interventions"].proto.help


def test_minimal_graph_counts(app_on):
    at = app_on(str(MINI))
    assert {m.label: m.value for m in at.metric}["Harms"] == "3"


def test_nonconforming_graph_opens_with_banner(app_on, mini_with):
    bad = mini_with("technology:tech-x hg:enables harm:facet-b .")
    at = app_on(str(bad))
    assert at.warning and "does not fully conform" in at.warning[0].value


def test_gap_kind_filter_changes_the_list(app_on):
    at = app_on(page="gaps")
    everything = at.markdown[0].value if at.markdown else ""
    counts_all = next(m.value for m in at.markdown if " gap(s)" in m.value)
    at.multiselect(key="gaps_kinds").set_value(["contested"]).run()
    counts_contested = next(m.value for m in at.markdown if " gap(s)" in m.value)
    assert int(counts_contested.split()[0]) < int(counts_all.split()[0])
    assert at.query_params["kind"] in ("contested", ["contested"])
    assert everything is not None


def test_matrix_filter_changes_the_table(app_on):
    at = app_on(page="matrix", params={"rows": "intervention", "cols": "harm-facet"})
    before = at.get("plotly_chart")[0].proto.spec
    at.selectbox(key="matrix_evidence-kind").set_value("ExpertOpinion").run()
    after = at.get("plotly_chart")[0].proto.spec
    assert before != after
    assert at.query_params["evidence-kind"] in ("ExpertOpinion", ["ExpertOpinion"])


def test_matrix_rings_disputed_cells(app_on):
    """A cell whose claims include a disputing one is ringed and says so on hover."""
    import json

    at = app_on(page="matrix", params={"rows": "intervention", "cols": "harm"})
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    bubbles = [t for t in figure["data"] if t["name"].startswith("strongest confidence")]
    ring = next(t for t in figure["data"] if t["name"].startswith("ring"))
    assert ring["customdata"] and all(cell[4] > 0 for cell in ring["customdata"])
    cells = [tuple(cell[:2]) for trace in bubbles for cell in trace["customdata"]]
    assert {tuple(cell[:2]) for cell in ring["customdata"]} < set(cells)
    assert all("disputing" in trace["hovertemplate"] for trace in bubbles)


def test_matrix_cell_from_url_lists_claims(app_on):
    at = app_on(
        str(MINI),
        page="matrix",
        params={"rows": "intervention", "cols": "harm", "cell": "intervention/int-i|harm/narrow-a"},
    )
    text = shown(at)
    assert "A test source with a DOI" in text and "Table 2" in text


def _priority_rows(at: AppTest) -> list[list[str]]:
    """The cells of the Priorities page's table, as text, row by row."""
    import html5lib

    tree = html5lib.parse(shown(at), namespaceHTMLElements=False)
    table = tree.find(".//table[@class='priorities']")
    return [
        ["".join(td.itertext()).strip() for td in tr.findall("td")]
        for tr in table.find("tbody").findall("tr")
    ]


def test_priorities_weights_change_the_ranking(app_on):
    """Moving the sliders reorders the table: with weakness alone, the first rows are gaps
    with no backing claim at all (weakness 1), which is not the default order."""
    from harmgraph.analysis.gaps import GAP_MEANINGS

    at = app_on(page="priorities")
    before = [row[2] for row in _priority_rows(at)]
    for name in ("severity", "reach", "enablers", "stated"):
        at.slider(key=f"priorities_{name}").set_value(0.0)
    at.slider(key="priorities_weakness").set_value(5.0).run()
    after = _priority_rows(at)
    assert [row[2] for row in after] != before
    # rank, score, gap, severity, reach, enablers, weakness, stated, rank range
    assert after[0][6] == "5.00" and after[0][3] == "0.00"
    meanings = [GAP_MEANINGS[k] for k in ("no-intervention", "empty-cell", "research-need")]
    assert any(after[0][2].lower().startswith(m.lower()) for m in meanings), after[0][2]


def test_entity_page_from_url(app_on):
    at = app_on(
        page="entity", params={"id": "intervention/synthetic-material-as-substitute-outlet"}
    )
    assert "<h1" in shown(at) and ">synthetic material as a substitute outlet" in shown(at)
    assert "contested" in shown(at)


def test_sparql_page_refuses_an_update(app_on):
    at = app_on(page="sparql")
    at.text_area(key="sparql_text_0").set_value("DELETE WHERE { ?s ?p ?o }")
    at.button(key="sparql_run").click().run()
    assert at.error and "refused" in at.error[0].value


def test_sparql_page_runs_an_example(app_on):
    at = app_on(page="sparql")
    at.button(key="sparql_run").click().run()
    assert not at.error
    assert len(at.dataframe[0].value) > 0


def test_network_page_states_its_cap(app_on, tmp_path):
    """A 100k-triple synthetic graph where harm/h26 has more than 300 nodes within three
    links: the page draws 300 and states how many it cut. The expected count is worked out
    here by a plain breadth-first walk over the claims, read triple by triple from the file."""
    import pyoxigraph as ox

    from conftest import run_cli

    synth = tmp_path / "synth.nt"
    assert run_cli("synth", "--triples", "100000", "--seed", "1", "-o", str(synth)).returncode == 0
    hg = "https://w3id.org/harmgraph/ontology#"
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    kinds = {hg + k for k in ("Harm", "Technology", "Actor", "Intervention")}
    nodes, claims, subjects, objects = set(), set(), {}, {}
    for triple in ox.parse(path=str(synth), format=ox.RdfFormat.N_TRIPLES):
        s, p, o = triple.subject.value, triple.predicate.value, triple.object.value
        if p == rdf + "type" and o in kinds:
            nodes.add(s)
        elif p == rdf + "type" and o == hg + "Claim":
            claims.add(s)
        elif p == rdf + "subject":
            subjects[s] = o
        elif p == rdf + "object":
            objects[s] = o
    links: dict = {}
    for claim in claims:
        a, b = subjects.get(claim), objects.get(claim)
        if a in nodes and b in nodes:
            links.setdefault(a, set()).add(b)
            links.setdefault(b, set()).add(a)
    center = "https://w3id.org/harmgraph/id/harm/h26"
    seen, frontier = {center}, {center}
    for _ in range(3):
        frontier = {n for f in frontier for n in links.get(f, ())} - seen
        seen |= frontier
    assert len(seen) > 300, "the fixture must reach the cap"

    at = app_on(str(synth), page="network", params={"id": "harm/h26", "depth": "3"})
    assert any(m.value.startswith("300 node(s)") for m in at.markdown), [
        m.value for m in at.markdown
    ]
    assert at.warning and f"{len(seen) - 300} more node(s)" in at.warning[0].value


def test_sparql_page_time_limit_stops_the_query_without_forking(monkeypatch):
    """From the app: a runaway query is stopped at the page's limit, in a separate process
    (this test process never forks, and its CPU stays idle once the limit has passed)."""
    import os
    import time

    forks = []
    os.register_at_fork(before=lambda: forks.append(1))
    monkeypatch.setenv("HARMGRAPH_DATA", "")
    monkeypatch.setenv("HARMGRAPH_QUERY_TIMEOUT", "2")
    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page("app_pages/sparql.py")
    at.run()
    at.text_area(key="sparql_text_0").set_value(
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    )
    at.button(key="sparql_run").click().run()
    assert any("time limit of 2 s" in e.value for e in at.error), [e.value for e in at.error]
    cpu = time.process_time()
    time.sleep(2)
    assert time.process_time() - cpu < 0.5, "the query is still using this process's CPU"
    assert not forks, "the app forked a process"


def test_map_draws_unreviewed_cells_apart_and_overview_shows_the_flow(app_on, mini_with):
    """On the mini graph plus an unsearched facet C: the map has a legend entry and a marker for
    each not-reviewed cell, apart from the cells reached only by r1's search for every
    intervention (searched-broader: r1 names no type, so no cell of this grain is an x); the
    overview shows the coverage and the screening flow of the one review (2 considered, 1
    excluded, 1 included)."""
    import json

    from test_reviews import TYPE_U_AND_FACET_C

    folder = mini_with(TYPE_U_AND_FACET_C)
    at = app_on(
        str(folder), page="matrix", params={"rows": "intervention-type", "cols": "harm-facet"}
    )
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    traces = {t["name"]: t for t in figure["data"]}
    unreviewed = traces["?: no search yet (coverage gap)"]["customdata"]
    broader = traces["searched only through something broader"]["customdata"]
    gaps = traces["x: a search aimed at it found nothing (evidence gap)"]["customdata"]
    assert sorted(c[1].rsplit("/", 1)[1] for c in unreviewed) == ["facet-c", "facet-c"]
    assert sorted(c[1].rsplit("/", 1)[1] for c in broader) == ["facet-a", "facet-b", "facet-b"]
    assert gaps == []
    overview = app_on(str(folder))
    flow = json.loads(overview.get("plotly_chart")[0].proto.spec)["data"][0]
    assert flow["type"] == "sankey"
    assert flow["node"]["label"][:3] == ["considered: 2", "included: 1", "excluded: 1"]
    assert any("4 of 6 cells" in m.value for m in overview.markdown), [
        m.value for m in overview.markdown
    ]


def test_downloads_offer_the_map_as_one_html_file(app_on):
    at = app_on(page="downloads")
    buttons = [b.proto for b in at.get("download_button")]
    labels = [b.label for b in buttons]
    assert any("interactive HTML file" in label for label in labels), labels
    assert len(labels) == 9, labels


# --- A map and gaps a funder can read (issue 19) ---

#: The gap kinds written as codes (the two that are plain English words are left out).
GAP_CODE = re.compile(
    r"\b(no-intervention|broader-only|no-evaluated-intervention|empty-cell|"
    r"unevaluated-intervention|weak-evidence|research-need|not-reviewed)\b"
)


def _text(fragment: str) -> str:
    """The visible text of HTML the page showed (tags and their attributes left out)."""
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def test_map_bubbles_are_opaque_and_their_numbers_meet_wcag_aa(app_on):
    """Each bubble's colour, blended at its opacity over the white page, against its white
    number: at least 4.5:1. Plotly's theme faded bubbles to 0.7, which gave 2.07:1 and 3.87:1."""
    from test_site import contrast

    at = app_on(page="matrix", params={"rows": "intervention-type", "cols": "harm-facet"})
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    bubbles = [t for t in figure["data"] if t["name"].startswith("strongest confidence")]
    assert len(bubbles) == 3
    for trace in bubbles:
        marker = trace["marker"]
        assert marker["opacity"] == 1 and trace["unselected"]["marker"]["opacity"] == 1
        number = trace["textfont"]["color"]
        assert contrast(marker["color"], number) >= 4.5, trace["name"]


def test_map_harm_columns_are_grouped_under_their_facet(app_on):
    """The harms run facet by facet, each facet's own column first (in bold), and a second
    axis names each facet under the middle of its columns."""
    from harmgraph import load_graph
    from harmgraph.analysis.cells import harm_groups
    from harmgraph.model.evidence import read_evidence

    evidence = read_evidence(load_graph())
    groups = harm_groups(evidence)
    at = app_on(page="matrix", params={"rows": "intervention", "cols": "harm"})
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    order = figure["layout"]["xaxis"]["categoryarray"]
    expected = [
        f"<b>{evidence.label(h)}</b>" if h == facet else evidence.label(h)
        for facet, _, harms in groups
        for h in harms
    ]
    assert order == expected
    facets = figure["layout"]["xaxis2"]
    assert facets["ticktext"] == [f"<b>{label}</b>" for _, label, _ in groups]
    start, centres = 0, []
    for _, _, harms in groups:
        centres.append(start + (len(harms) - 1) / 2)
        start += len(harms)
    assert facets["tickvals"] == centres


def test_entity_picker_finds_alternative_labels(app_on):
    at = app_on(page="entity", params={"id": "harm/sexual-extortion"})
    picker = at.selectbox(key="entity_id")
    options = [o for o in picker.options if "sextortion" in o]
    assert options and options[0].startswith("sexual extortion (harm)"), options


def test_an_intervention_page_summarises_its_harms(app_on):
    at = app_on(page="entity", params={"id": "intervention/hash-matching"})
    assert any(
        h.value == "Harms it addresses, and the strongest evidence for each" for h in at.header
    )
    text = _text(shown(at))
    assert re.search(r"(high|moderate|low) confidence, [a-z ]+, (supports|disputes|mixed)", text)
    assert " claim(s) from " in text


@pytest.mark.parametrize(
    ("page", "params"),
    [
        ("gaps", {}),
        ("overview", {}),
        ("priorities", {}),
        ("entity", {"id": "intervention/grooming-detection-in-conversations"}),
        ("entity", {"id": "harm/peer-sexual-deepfakes"}),
    ],
)
def test_gap_kinds_are_in_plain_words(app_on, page, params):
    at = app_on(page=page, params=params)
    written = [e.value for kind in ("markdown", "caption", "info") for e in at.get(kind)]
    labels = [e.proto.label for e in at.get("expander")]
    text = " ".join([_text(shown(at)), *written, *labels])
    assert not GAP_CODE.findall(text), GAP_CODE.findall(text)[:5]
    assert "/entity?id=review/" in shown(at), "the review behind a gap is a link"


def test_gaps_page_names_each_review_once_per_kind_and_none_of_its_queries(app_on):
    """The Gaps page printed every review's query list under every gap (97,000 px): a review
    is now named once per kind, as a link, with its strength; its queries are on its page."""
    from harmgraph import load_graph
    from harmgraph.model.reviews import read_reviews

    at = app_on(page="gaps")
    blocks = [h.proto.body for h in at.get("html") if "/entity?id=" in h.proto.body]
    assert len(blocks) >= 5
    for block in blocks:
        links = re.findall(r'href="/entity\?id=(review/[^"]+)"', block)
        headings = re.findall(r'Searched in review <a href="/entity\?id=(review/[^"]+)"', block)
        assert len(headings) == len(set(headings)), "a review named twice in one kind"
        assert set(links) >= set(headings)
    queries = {s.query for r in read_reviews(load_graph()) for s in r.searches if len(s.query) > 30}
    text = " ".join(_text(b) for b in blocks)
    assert queries and not [q for q in queries if q in text]
    assert len(text) < 150_000, len(text)
