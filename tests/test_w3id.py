"""The IRIs resolve as linked-data clients expect (issue 19): the w3id rules choose by q-value,
read by a model of mod_rewrite (tests/htaccess_model.py; tests/test_apache.py asks a real
Apache); a base URL inside the IRIs' namespace is refused; every IRI of the graph's namespace
has a page and its data in four formats; every ontology term lands on its own section."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rdflib
from htaccess_model import accept_headers, redirect
from rdflib.compare import isomorphic

from conftest import MINI, ROOT, run_cli

# One test process runs this module, so every IRI of the namespace is read once.
pytestmark = pytest.mark.xdist_group("w3id")

ID = "https://w3id.org/harmgraph/id/"
HG = "https://w3id.org/harmgraph/ontology#"
BASE = "https://hg.example.net/site/"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
RDF_FORMATS = {"ttl": "turtle", "jsonld": "json-ld", "rdf": "xml", "nt": "nt"}


def _rules(base: str = BASE) -> str:
    from harmgraph.publish.w3id import htaccess

    return htaccess(base, "0.2.0")


# --- Content negotiation with q-values ---


@pytest.mark.parametrize(
    ("accept", "ext"),
    [
        ("text/turtle;q=0.9, text/html;q=0.1", "ttl"),
        ("text/html;q=0.1, text/turtle;q=0.9", "ttl"),
        ("text/html", "html"),
        ("text/turtle", "ttl"),
        ("application/ld+json", "jsonld"),
        ("application/rdf+xml", "rdf"),
        ("application/n-triples", "nt"),
        (BROWSER, "html"),
        ("*/*", "html"),
        (None, "html"),
        ("image/png", "html"),
        ("text/turtle;q=0, */*;q=0.1", "html"),
        ("text/turtle;q=0, application/*;q=0.1", "jsonld"),
        ("application/ld+json;q=0.5, application/rdf+xml;q=0.6", "rdf"),
        ("application/*;q=0.5, application/n-triples", "nt"),
        ("text/*;q=0.3, text/html;q=0.2", "ttl"),
        ("text/turtle;q=0.25, text/html;q=0.2", "ttl"),
        ("text/turtle;q=0.999, text/html;q=1.0", "html"),
        ("TEXT/TURTLE ; Q=0.8 , text/html ; q=0.7", "ttl"),
        ("text/html;level=1;q=0.2, text/turtle;charset=utf-8", "ttl"),
        ("text/turtle;q=1.5, text/html;q=0.1", "html"),
        ("text/turtle, application/ld+json", "ttl"),
    ],
)
def test_the_redirects_read_q_values(accept, ext):
    """Regression: the first rule whose media type appeared anywhere in the header won, so
    `text/turtle;q=0.9, text/html;q=0.1` got the page."""
    from harmgraph.publish.w3id import negotiate

    assert negotiate(accept) == ext
    assert redirect(_rules(), "id/harm/normalisation", accept) == (
        f"{BASE}id/harm/normalisation.{ext}"
    )


def test_the_rules_choose_as_negotiate_does_for_a_thousand_headers():
    """The rules (read by the model of mod_rewrite) and negotiate() agree on made-up headers
    with every kind of range, q-value, parameter, case and spacing, and malformed q-values."""
    from harmgraph.publish.w3id import negotiate

    rules = _rules()
    chosen = set()
    for accept in accept_headers(1000, seed=19):
        ext = negotiate(accept)
        chosen.add(ext)
        assert redirect(rules, "id/claim/c1", accept) == f"{BASE}id/claim/c1.{ext}", accept
    assert chosen == {"html", "ttl", "jsonld", "rdf", "nt"}


PATHS = [
    ("id/harm/normalisation", "id/harm/normalisation.{ext}"),
    ("id/agent/editors", "id/agent/editors.{ext}"),
    ("id/scheme/confidence", "id/scheme/confidence.{ext}"),
    ("ontology", "ontology/harmgraph.{ext}"),
    ("ontology/", "ontology/harmgraph.{ext}"),
    ("ontology/0.2.0", "ontology/harmgraph.{ext}"),
    ("shapes", "ontology/shapes.{ext}"),
]


@pytest.mark.parametrize(("path", "target"), PATHS)
@pytest.mark.parametrize("ext", ["html", "ttl", "jsonld", "rdf", "nt"])
def test_every_kind_of_iri_is_served_in_every_format(path, target, ext):
    """Shapes asked for as JSON-LD come back as JSON-LD (they came back as Turtle), and
    `ontology/` with its slash resolves like `ontology`."""
    from harmgraph.publish.w3id import MEDIA_TYPES

    expected = target.format(ext=ext)
    if ext == "html" and path.startswith("ontology"):
        expected = "ontology/reference.html"
    if ext == "html" and path == "shapes":
        expected = "ontology/shapes.html"
    assert redirect(_rules(), path, MEDIA_TYPES[ext]) == BASE + expected


def test_no_rule_matches_the_target_it_sends_to():
    """Regression: with the base URL inside the IRIs' namespace every rule sent clients back
    into the rules (normalisation.html.html.html in Apache). Even rules whose base is their
    own folder send no target back into themselves: the targets have extensions, and no
    pattern takes one."""
    rules = _rules("https://hg.example.net/")
    paths = [p for p, _ in PATHS] + ["", "id", "id/", "id/harm", "id/scheme/", "id/agent/"]
    for path in paths:
        for accept in (None, *accept_headers(40, seed=3)):
            target = redirect(rules, path, accept)
            assert target is not None, (path, accept)
            followed = target.removeprefix("https://hg.example.net/").split("#")[0]
            assert redirect(rules, followed, accept) is None, (path, accept, target)


NAMESPACE_BASES = [
    "https://w3id.org/harmgraph",
    "https://w3id.org/harmgraph/",
    "http://w3id.org/harmgraph",
    "HTTPS://W3ID.ORG/HarmGraph/",
    "https://w3id.org/harmgraph/id/harm/",
    "https://w3id.org/harmgraph/ontology",
    "https://w3id.org:443/harmgraph/site/",
    "https://w3id.org//harmgraph/",
    "https://w3id.org/other/../harmgraph/",
]


@pytest.mark.parametrize("base", NAMESPACE_BASES)
def test_a_base_url_inside_the_iri_namespace_is_refused(tmp_path, base):
    """Regression: `site --base-url https://w3id.org/harmgraph` was accepted, and every
    redirect then led back into w3id.org."""
    out = tmp_path / "site"
    done = run_cli("--data", str(MINI), "site", "--out", str(out), "--base-url", base)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "--base-url" in lines[0] and "namespace" in lines[0], lines
    assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == [], "nothing written"


@pytest.mark.parametrize(
    "base",
    ["https://example.org/a$1/", "https://example.org/%7Bx%7D/", "ftp://example.org/", "https://"],
)
def test_a_base_url_the_rules_cannot_hold_is_refused(base):
    """`$` and `%` would be read by mod_rewrite as back-references in every target."""
    from harmgraph.errors import UsageError
    from harmgraph.publish.w3id import check_base_url

    with pytest.raises(UsageError, match="--base-url"):
        check_base_url(base)


def test_addresses_beside_the_namespace_are_accepted():
    from harmgraph.publish.w3id import check_base_url

    assert check_base_url("https://w3id.org/harmgraph-site") == "https://w3id.org/harmgraph-site/"
    assert check_base_url("https://example.org/harmgraph/") == "https://example.org/harmgraph/"


def test_the_w3id_readme_has_a_marked_contact_placeholder(tmp_path):
    """w3id.org asks for a contact; none is known, so the README says plainly that one must be
    written before registering, and `site` says so too."""
    from harmgraph.publish.w3id import CONTACT_PLACEHOLDER

    out = tmp_path / "site"
    done = run_cli("--data", str(MINI), "site", "--out", str(out), "--base-url", BASE)
    assert done.returncode == 0, done.stderr
    readme = (out / "w3id" / "README.md").read_text(encoding="utf-8")
    assert "## Contact" in readme
    contact = readme.split("## Contact", 1)[1]
    assert contact.count(CONTACT_PLACEHOLDER) == 4
    assert "before opening the pull request" in contact
    assert "README.md names no contact yet" in done.stderr
    htaccess = (out / "w3id" / ".htaccess").read_text(encoding="utf-8")
    assert "Header always merge Vary Accept" in htaccess


# --- Every IRI of the namespace has a page and its data ---


def _namespace_iris(graph: rdflib.Graph) -> set[str]:
    return {
        str(term)
        for triple in graph
        for term in (triple[0], triple[2])
        if isinstance(term, rdflib.URIRef) and str(term).startswith(ID)
    }


@pytest.fixture(scope="module")
def every_iri() -> set[str]:
    graph = rdflib.Graph()
    for path in [
        *sorted((ROOT / "graph" / "kb").glob("*.ttl")),
        ROOT / "ontology" / "harmgraph.ttl",
    ]:
        graph.parse(path, format="turtle")
    return _namespace_iris(graph)


def test_every_iri_of_the_namespace_has_a_page_and_its_data(bundled_site, every_iri):
    """Regression: id/agent/editors, the agent of every claim and review, had redirects to
    files that were never written. Every IRI under id/ (read by rdflib from the files) has its
    page and four data files, and a hash IRI has an element with its fragment as id on its
    document's page."""
    ids: dict[Path, set[str]] = {}
    documents = {iri.split("#")[0] for iri in every_iri}
    kinds = {iri[len(ID) :].split("/")[0] for iri in documents}
    assert {"agent", "scheme", "harm", "claim", "review"} <= kinds
    for document in documents:
        page = bundled_site / f"{document.removeprefix(ID.removesuffix('id/'))}.html"
        assert page.is_file(), document
        for ext in RDF_FORMATS:
            assert page.with_suffix(f".{ext}").is_file(), (document, ext)
    for iri in every_iri:
        if "#" not in iri:
            continue
        document, fragment = iri.split("#")
        page = bundled_site / f"{document.removeprefix(ID.removesuffix('id/'))}.html"
        if page not in ids:
            ids[page] = set(re.findall(r'\bid="([^"]+)"', page.read_text(encoding="utf-8")))
        assert fragment in ids[page], iri
    for kind in kinds:
        assert (bundled_site / "id" / f"{kind}.html").is_file(), kind


def test_agent_pages_list_what_they_did_and_reviews_link_to_them(bundled_site):
    editors = (bundled_site / "id" / "agent" / "editors.html").read_text(encoding="utf-8")
    assert "<h1>harmgraph editors</h1>" in editors
    assert "prov:wasAssociatedWith (44)" in editors and "prov:wasAttributedTo (582)" in editors
    assert 'href="../../id/review/ai-csam-legal-and-enforcement-gaps.html"' in editors
    second = (bundled_site / "id" / "agent" / "second-screener.html").read_text(encoding="utf-8")
    assert 'ai-csam-legal-and-enforcement-gaps.html#second-screening"' in second
    review = (bundled_site / "id" / "review" / "ai-csam-legal-and-enforcement-gaps.html").read_text(
        encoding="utf-8"
    )
    assert '>Run by <a href="../../id/agent/editors.html">harmgraph editors</a>' in review
    assert 'second screening by <a href="../../id/agent/second-screener.html">' in review


def test_a_scheme_page_lists_its_values_at_their_sections(bundled_site):
    page = (bundled_site / "id" / "scheme" / "confidence.html").read_text(encoding="utf-8")
    assert "<h1>Confidence levels</h1>" in page
    for value in ("HighConfidence", "ModerateConfidence", "LowConfidence"):
        assert f'href="../../ontology/reference.html#{value}"' in page
    harms = (bundled_site / "id" / "scheme" / "harm.html").read_text(encoding="utf-8")
    assert 'href="../../id/harm/normalisation.html"' in harms


@pytest.mark.parametrize(
    "path",
    [
        "agent/editors",
        "scheme/confidence",
        "harm/normalisation",
        "review/ai-csam-legal-and-enforcement-gaps",
    ],
)
def test_the_four_data_files_hold_the_same_graph(bundled_site, path):
    graphs = {
        ext: rdflib.Graph().parse(bundled_site / "id" / f"{path}.{ext}", format=fmt)
        for ext, fmt in RDF_FORMATS.items()
    }
    assert len(graphs["ttl"]) > 2
    for ext, graph in graphs.items():
        assert isomorphic(graph, graphs["ttl"]), (path, ext)
    subject = rdflib.URIRef(ID + path)
    assert (subject, None, None) in graphs["ttl"]


def test_a_review_document_describes_its_hash_iris(bundled_site):
    """A client that looks up <review>#record-1 is sent to the review's document: the data
    must describe the record (and the searches and the second screening)."""
    iri = ID + "review/ai-csam-legal-and-enforcement-gaps"
    graph = rdflib.Graph().parse(
        bundled_site / "id" / "review" / "ai-csam-legal-and-enforcement-gaps.ttl"
    )
    for fragment in ("record-1", "search-1", "second-screening", "search-unrecorded"):
        assert (rdflib.URIRef(f"{iri}#{fragment}"), None, None) in graph, fragment


# --- Every ontology term lands on its own section ---


def _terms(path: Path, namespace: str) -> set[str]:
    graph = rdflib.Graph().parse(path, format="turtle")
    return {
        str(t)[len(namespace) :]
        for t in graph.all_nodes()
        if isinstance(t, rdflib.URIRef) and str(t).startswith(namespace)
    }


def test_every_ontology_term_lands_on_its_own_section(bundled_site):
    """Regression: 50 of the terms (the values of the concept schemes, and classes whose
    pyLODE section is named after the label, #Evidencesource) landed at the top of the page."""
    terms = _terms(ROOT / "ontology" / "harmgraph.ttl", HG)
    assert {"Harm", "EvidenceSource", "ModerateConfidence", "addresses"} <= terms
    page = (bundled_site / "ontology" / "reference.html").read_text(encoding="utf-8")
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), "every id once"
    assert sorted(terms - set(ids)) == []


def test_every_shape_lands_on_its_own_section(bundled_site):
    shapes = _terms(ROOT / "ontology" / "shapes.ttl", "https://w3id.org/harmgraph/shapes#")
    assert {"HarmShape", "definition"} <= shapes
    page = (bundled_site / "ontology" / "shapes.html").read_text(encoding="utf-8")
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    assert sorted(shapes - set(ids)) == []


def test_the_ontology_and_shapes_are_written_in_every_format(bundled_site):
    for name in ("harmgraph", "shapes"):
        graphs = [
            rdflib.Graph().parse(bundled_site / "ontology" / f"{name}.{ext}", format=fmt)
            for ext, fmt in RDF_FORMATS.items()
        ]
        assert len(graphs[0]) > 100
        assert all(isomorphic(g, graphs[0]) for g in graphs[1:]), name
