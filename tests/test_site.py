"""`harmgraph site`: a page per entity at the path of its IRI, its data beside it, every page
well-formed HTML (parsed by html5lib in strict mode), data shown as text, and no request to
any other host. Expected counts and statements come from rdflib reading the same files."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import urlparse

import html5lib
import pytest
import rdflib
from hostile import HOSTILE_CONFORMING, HOSTILE_LABEL
from htaccess_model import redirect
from rdflib.compare import isomorphic

from conftest import MINI, PREFIXES, ROOT, load_docgen, run_cli

# One test process runs this module, so the knowledge base is read with rdflib and the boundary
# site is written once.
pytestmark = pytest.mark.xdist_group("site")

KB = ROOT / "graph" / "kb"
HG = rdflib.Namespace("https://w3id.org/harmgraph/ontology#")
ID = "https://w3id.org/harmgraph/id/"
RDF_OBJECT = rdflib.RDF.object


@pytest.fixture(scope="module")
def site(bundled_site: Path) -> Path:
    """The bundled graph's site, written once for the whole run (conftest.py)."""
    return bundled_site


@pytest.fixture(scope="module")
def kb() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in sorted(KB.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


@pytest.mark.parametrize(
    ("cls", "kind"),
    [
        (HG.Harm, "harm"),
        (HG.Intervention, "intervention"),
        (HG.EvidenceSource, "source"),
        (HG.Claim, "claim"),
        (HG.Review, "review"),
        (HG.Gap, "gap"),
    ],
)
def test_every_entity_has_a_page_at_its_iri_path(site, kb, cls, kind):
    """At its slug when the slug follows the one slug rule, else at a name hashed from its
    IRI (see test_the_site_and_the_redirects_follow_the_importers_slug_rule)."""
    from harmgraph.model.slugs import is_slug, page_slug

    iris = [str(s) for s in kb.subjects(rdflib.RDF.type, cls)]
    slugs = {iri: iri[len(ID) + len(kind) + 1 :] for iri in iris}
    expected = {slug if is_slug(slug) else page_slug(iri, kind) for iri, slug in slugs.items()}
    assert len(expected) == len(iris)
    assert {p.stem for p in (site / "id" / kind).glob("*.html")} == expected
    for name in expected:
        for suffix in (".ttl", ".jsonld"):
            assert (site / "id" / kind / f"{name}{suffix}").is_file()


def test_a_page_shows_its_entity_and_links_its_data(site):
    page = (site / "id" / "harm" / "normalisation.html").read_text(encoding="utf-8")
    assert "<h1>normalisation of the sexual exploitation of children</h1>" in page
    assert '<link rel="alternate" type="text/turtle" href="normalisation.ttl">' in page
    assert '<link rel="alternate" type="application/ld+json" href="normalisation.jsonld">' in page
    assert 'href="../../index.html"' in page


def test_data_files_hold_the_entitys_own_statements(site, kb):
    """The .ttl holds every statement of the entity in the knowledge base (blank nodes such
    as citations followed), and the .jsonld is the same graph."""
    for path in ("harm/normalisation", "source/birhane-2021-multimodal-datasets"):
        iri = rdflib.URIRef(ID + path)
        expected = rdflib.Graph()
        queue, seen = [iri], set()
        while queue:
            node = queue.pop()
            for p, o in kb.predicate_objects(node):
                expected.add((node, p, o))
                if isinstance(o, rdflib.BNode) and o not in seen:
                    seen.add(o)
                    queue.append(o)
        # The direct relations harmgraph derives from claims when it loads belong to the
        # entity too: one for each claim with the entity as subject.
        for claim in kb.subjects(rdflib.RDF.subject, iri):
            if (claim, HG.direction, HG.Disputes) not in kb:
                expected.add(
                    (iri, kb.value(claim, rdflib.RDF.predicate), kb.value(claim, RDF_OBJECT))
                )
        ttl = rdflib.Graph().parse(site / "id" / f"{path}.ttl", format="turtle")
        jsonld = rdflib.Graph().parse(site / "id" / f"{path}.jsonld", format="json-ld")
        assert len(expected) > 5
        assert isomorphic(ttl, expected), path
        assert isomorphic(jsonld, expected), path


@pytest.fixture(scope="module")
def page_trees(site: Path) -> dict[Path, object]:
    """Every page of the site parsed once by html5lib, strictly: the tree, or the parse error
    (html5lib is pure Python, and the site has more than a thousand pages)."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    trees: dict[Path, object] = {}
    for path in sorted(site.rglob("*.html")):
        try:
            trees[path] = parser.parse(path.read_bytes(), transport_encoding="utf-8")
        except html5lib.html5parser.ParseError as error:
            trees[path] = error
    return trees


def test_every_page_is_well_formed_html_with_the_basics(site, page_trees):
    assert len(page_trees) > 1000
    for path, tree in page_trees.items():
        if isinstance(tree, html5lib.html5parser.ParseError):
            raise AssertionError(f"{path.relative_to(site)}: {tree}")
        assert tree.find("./head/title").text.strip(), path
        assert tree.get("lang") == "en", path
        assert tree.find(".//main") is not None, path
        for image in tree.iter("img"):
            assert image.get("alt"), path
        for tag in ("input", "select", "textarea"):
            for field in tree.iter(tag):
                assert tree.find(f".//label[@for='{field.get('id')}']") is not None, path


def test_no_page_loads_anything_from_another_host(page_trees):
    assert len(page_trees) > 1000
    for path, tree in page_trees.items():
        if isinstance(tree, html5lib.html5parser.ParseError):
            # Not well formed (the test above fails): read it as a browser would, leniently.
            tree = html5lib.parse(path.read_bytes(), namespaceHTMLElements=False)
        for element in tree.iter():
            for attribute in ("src", "href"):
                value = element.get(attribute)
                if value is None:
                    continue
                # Only a link may point elsewhere: anything else would load it. A data: address
                # (pyLODE's inline icon) is part of the page itself.
                if element.tag != "a":
                    assert urlparse(value).scheme in ("", "data"), f"{path}: {element.tag} {value}"
                else:
                    assert urlparse(value).scheme in ("", "http", "https"), f"{path}: {value}"


def test_search_index_lists_every_page(site):
    text = (site / "search-index.js").read_text(encoding="utf-8")
    entries = json.loads(text[text.index("[") : text.rindex("]") + 1])
    assert all((site / href).is_file() for href, _, _, _ in entries)
    assert len(entries) == len(list(site.glob("id/*/*.html")))


def test_hostile_data_is_shown_as_text(tmp_path, mini_with):
    folder = mini_with(HOSTILE_CONFORMING, "hostile.ttl")
    out = tmp_path / "site"
    done = run_cli("--data", str(folder), "site", "--out", str(out))
    assert done.returncode == 0, done.stderr
    pages = ["id/harm/hostile", "id/source/hostile", "id/claim/hostile", "id/intervention/hostile"]
    for page in [*pages, "map", "priorities", "gaps", "index"]:
        tree = html5lib.parse((out / f"{page}.html").read_bytes())
        text = "".join(tree.itertext())
        ns = "{http://www.w3.org/1999/xhtml}"
        if page == "map":
            # The map's data is JSON inside a script element; its script writes it as text
            # (tests/test_site_browser.py shows it in Chromium).
            data = tree.find(f".//{ns}script[@id='map-data']").text
            assert HOSTILE_LABEL in data.encode().decode("unicode_escape") or HOSTILE_LABEL in (
                json.dumps(json.loads(data), ensure_ascii=False)
            )
        elif page not in ("index", "priorities"):  # coverage gaps are never ranked
            assert HOSTILE_LABEL in text, page
        assert not list(tree.iter(f"{ns}img")), page
        scripts = list(tree.iter(f"{ns}script"))
        # Entity pages have no script; the map has its data and its code inline, the other
        # pages load their own scripts from the site: nothing else, so no label became one.
        expected = {"map": 2, "priorities": 2, "index": 2}.get(page, 0)
        assert len(scripts) == expected, page
        assert all(not urlparse(s.get("src") or "").scheme for s in scripts), page
        for link in tree.iter(f"{ns}a"):
            href = link.get("href", "")
            assert "evil.example" not in href and not href.startswith("javascript"), (page, href)
    index = (out / "search-index.js").read_text(encoding="utf-8")
    assert "<" not in index, "a label could close the script element"


def test_a_folder_that_is_not_a_site_is_refused_and_kept(tmp_path):
    keep = tmp_path / "mine.txt"
    keep.write_text("mine")
    done = run_cli("site", "--out", str(tmp_path))
    assert done.returncode == 2
    assert "is not a harmgraph site" in done.stderr and "Traceback" not in done.stderr
    assert keep.read_text() == "mine"


def test_a_failed_run_leaves_the_previous_site(tmp_path):
    out = tmp_path / "site"
    assert run_cli("--data", str(MINI), "site", "--out", str(out)).returncode == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    bad = tmp_path / "bad.ttl"
    bad.write_text(PREFIXES + "claim:broken a hg:Claim .\n", encoding="utf-8")
    done = run_cli("--data", str(MINI), "--data", str(bad), "site", "--out", str(out))
    assert done.returncode == 1
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_an_unreachable_endpoint_is_a_clear_error_and_writes_nothing(tmp_path):
    out = tmp_path / "site"
    done = run_cli("--endpoint", "http://127.0.0.1:9/sparql", "site", "--out", str(out))
    assert done.returncode == 2 and "127.0.0.1:9" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and not out.exists()


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a #rrggbb colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_worked_contrast_example():
    # WCAG's own figures: black on white is 21:1, and #767676 on white just passes 4.5:1.
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert 4.5 <= contrast("#767676", "#ffffff") < 4.6


def test_map_colours_have_enough_contrast(site):
    """Each mark colour against the white page, and the white number drawn on each bubble:
    at least 4.5:1 (WCAG AA for text; marks need 3:1)."""
    page = (site / "map.html").read_text(encoding="utf-8")
    root = page[page.index(":root {") : page.index("}", page.index(":root {"))]
    colours = dict(re.findall(r"--([a-z-]+): (#[0-9a-f]{6});", root))
    assert set(colours) >= {"high", "moderate", "low", "no-evidence", "not-reviewed", "disputes"}
    for name, colour in colours.items():
        assert contrast(colour, "#ffffff") >= 4.5, (name, colour)
    css = (site / "site.css").read_text(encoding="utf-8")
    for colour in set(re.findall(r"color: (#[0-9a-f]{6})", css)):
        assert contrast(colour, "#ffffff") >= 4.5, colour


def _redirect(rules: list[str], path: str, accept: str) -> str:
    """Where mod_rewrite sends ``path`` (relative to w3id's harmgraph/ folder) for an Accept
    header, read by the model of mod_rewrite in tests/htaccess_model.py (tests/test_apache.py
    asks a real Apache)."""
    sent = redirect("\n".join(rules), path, accept)
    if sent is None:
        raise AssertionError(f"no rule for {path!r} with Accept {accept!r}")
    return sent


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize(
    ("path", "accept", "target"),
    [
        ("id/harm/normalisation", BROWSER_ACCEPT, "id/harm/normalisation.html"),
        ("id/harm/normalisation", "text/turtle", "id/harm/normalisation.ttl"),
        ("id/harm/normalisation", "application/ld+json", "id/harm/normalisation.jsonld"),
        ("id/harm/normalisation", "*/*", "id/harm/normalisation.html"),
        (
            "id/claim/iwf-2020-hash-list-annual-report-01",
            "text/turtle",
            "id/claim/iwf-2020-hash-list-annual-report-01.ttl",
        ),
        ("ontology", BROWSER_ACCEPT, "ontology/reference.html"),
        ("ontology", "text/turtle", "ontology/harmgraph.ttl"),
        ("ontology", "application/ld+json", "ontology/harmgraph.jsonld"),
        ("ontology/0.2.0", "text/turtle", "ontology/harmgraph.ttl"),
        ("shapes", "text/turtle", "ontology/shapes.ttl"),
        ("id/scheme/harm", BROWSER_ACCEPT, "id/scheme/harm.html"),
        ("id/scheme/harm", "text/turtle", "id/scheme/harm.ttl"),
        ("id/agent/editors", "application/n-triples", "id/agent/editors.nt"),
        ("id/scheme/", BROWSER_ACCEPT, "id/scheme.html"),
        ("id/harm", BROWSER_ACCEPT, "id/harm.html"),
        ("", BROWSER_ACCEPT, "index.html"),
    ],
)
def test_w3id_htaccess_negotiates_to_files_the_site_has(site, path, accept, target):
    rules = (site / "w3id" / ".htaccess").read_text(encoding="utf-8").splitlines()
    sent = _redirect(rules, path, accept)
    base = "https://harmgraph.example.org/"
    assert sent == base + target
    file = site / target.split("#")[0]
    assert file.is_file(), file
    if target.endswith(".ttl"):
        assert len(rdflib.Graph().parse(file, format="turtle")) > 0
    if "#" in target:
        assert f'id="{target.split("#")[1]}"' in file.read_text(encoding="utf-8")


def test_base_url_goes_into_the_redirects_and_a_bad_one_is_refused(tmp_path):
    out = tmp_path / "site"
    done = run_cli(
        "--data", str(MINI), "site", "--out", str(out), "--base-url", "https://hg.example.net/x"
    )
    assert done.returncode == 0, done.stderr
    rules = (out / "w3id" / ".htaccess").read_text(encoding="utf-8").splitlines()
    assert _redirect(rules, "id/harm/a", "text/turtle") == "https://hg.example.net/x/id/harm/a.ttl"
    bad = run_cli("site", "--out", str(tmp_path / "other"), "--base-url", "javascript:alert(1)")
    assert bad.returncode == 2 and "--base-url" in bad.stderr and "Traceback" not in bad.stderr
    assert not (tmp_path / "other").exists()


def test_ontology_documentation_covers_the_ontology(site):
    onto = rdflib.Graph().parse(ROOT / "ontology" / "harmgraph.ttl")
    reference = (site / "ontology" / "reference.html").read_text(encoding="utf-8")
    assert "pyLODE" in reference
    for cls in onto.subjects(rdflib.RDF.type, rdflib.OWL.Class):
        assert str(onto.value(cls, rdflib.RDFS.label)) in reference, cls
    schemes = (site / "ontology" / "schemes.html").read_text(encoding="utf-8")
    skos = rdflib.SKOS
    for value in onto.subjects(skos.inScheme, rdflib.URIRef(ID + "scheme/exclusion-reason")):
        assert str(onto.value(value, skos.prefLabel)) in schemes, value
    shapes_graph = rdflib.Graph().parse(ROOT / "ontology" / "shapes.ttl")
    shapes = (site / "ontology" / "shapes.html").read_text(encoding="utf-8")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    for shape in shapes_graph.subjects(rdflib.RDF.type, sh.NodeShape):
        assert f'id="shape-{str(shape).rsplit("#", 1)[1]}"' in shapes, shape
    for message in shapes_graph.objects(None, sh.message):
        assert html.escape(str(message), quote=False) in shapes.replace("&#39;", "'").replace(
            "&#34;", '"'
        ), message
    alignments = (site / "ontology" / "alignments.html").read_text(encoding="utf-8")
    aligned = rdflib.Graph().parse(ROOT / "ontology" / "alignments.ttl")
    external = {line.split("\t")[0] for line in (ROOT / "ontology" / "external-terms.tsv").open()}
    for _, _, obj in aligned:
        if str(obj) in external:
            assert str(obj) in alignments, obj
    for name in ("harmgraph.ttl", "harmgraph.jsonld", "shapes.ttl", "alignments.ttl"):
        fmt = "json-ld" if name.endswith(".jsonld") else "turtle"
        assert len(rdflib.Graph().parse(site / "ontology" / name, format=fmt)) > 50, name


def test_downloads_hold_the_whole_graph(site, kb):
    whole = rdflib.Graph().parse(site / "downloads" / "harmgraph.nt", format="nt")
    named = [t for t in kb if not any(isinstance(term, rdflib.BNode) for term in t)]
    assert len(named) > 9_000 and all(triple in whole for triple in named)
    page = (site / "downloads.html").read_text(encoding="utf-8")
    for name in ("harmgraph.ttl", "harmgraph.jsonld", "harmgraph.nt", "harmgraph.rdf", "void.ttl"):
        assert f'href="downloads/{name}"' in page and (site / "downloads" / name).is_file()


def test_matrix_html_is_one_self_contained_page_and_refuses_bad_filters():
    done = run_cli("matrix", "--format", "html", "--rows", "stage", "--filter", "year=2024")
    assert done.returncode == 0, done.stderr
    tree = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(done.stdout)
    assert [s.get("src") for s in tree.iter("script")] == [None, None]
    assert not [link for link in tree.iter("link") if link.get("rel") == "stylesheet"]
    data = json.loads(tree.find(".//script[@id='map-data']").text)
    assert data["start"] == {"rows": "stage", "cols": "harm", "filters": {"year": "2024-2024"}}
    bad = run_cli("matrix", "--format", "html", "--filter", "stage=nowhere")
    assert bad.returncode == 2 and "stage='nowhere' matches 0" in bad.stderr
    assert "Traceback" not in bad.stderr and bad.stdout == ""


def test_scale_page_site_figures_come_from_the_bench_results_file():
    """docs/scale.md's site timings are rendered from bench/site-results.json (make bench-site)."""
    docgen = load_docgen()
    report = json.loads((ROOT / "bench" / "site-results.json").read_text(encoding="utf-8"))
    text = (ROOT / "docs" / "scale.md").read_text(encoding="utf-8")
    assert docgen.bench_part("site") in text, "stale: run make docs"
    assert report["steps"]["site"]["seconds"] > 0 and report["triples"] > 100_000


# --- One slug rule for the importers, the site's page names and the w3id redirects (issue 20) ---

#: Slugs on each side of every boundary of the rule, each with whether it follows it: at most
#: 80 characters; lower-case ASCII letters, digits and hyphens; a letter or digit first.
BOUNDARY_SLUGS = [
    ("a", True),
    ("7", True),
    ("a" * 80, True),
    ("a" * 81, False),
    ("b" * 79 + "-", True),
    ("a-", True),
    ("a--b", True),
    ("-a", False),
    ("A", False),
    ("a-B", False),
    ("a_b", False),
    ("a.b", False),
    ("a~b", False),
    ("a.ttl", False),
    ("a.html", False),
    ("a%41", False),
    ("a\u00e9", False),
    ("index", True),
    ("x_" + "0" * 24, False),
]


def _harm(slug: str, number: int) -> str:
    return (
        f"<{ID}harm/{slug}> a hg:Harm, skos:Concept ;\n"
        f'    skos:prefLabel "boundary harm {number}"@en ;\n'
        f'    skos:definition "A harm whose slug is on a boundary of the slug rule."@en ;\n'
        "    skos:inScheme scheme:harm ;\n"
        "    skos:topConceptOf scheme:harm .\n"
    )


@pytest.fixture(scope="module")
def boundary_site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("boundary-data")
    (folder / "mini.ttl").write_text((MINI / "mini.ttl").read_text(encoding="utf-8"))
    harms = "\n".join(_harm(slug, n) for n, (slug, _) in enumerate(BOUNDARY_SLUGS))
    (folder / "boundary.ttl").write_text(PREFIXES + harms, encoding="utf-8")
    out = tmp_path_factory.mktemp("boundary-site") / "site"
    done = run_cli("--data", str(folder), "site", "--out", str(out), timeout=300)
    assert done.returncode == 0, done.stderr
    return out


def _h1(path: Path) -> str:
    tree = html5lib.parse(path.read_bytes(), namespaceHTMLElements=False)
    return "".join(tree.find(".//h1").itertext())


@pytest.mark.parametrize(
    ("number", "slug", "follows"),
    [(n, s, f) for n, (s, f) in enumerate(BOUNDARY_SLUGS)],
    ids=[s[:12] for s, _ in BOUNDARY_SLUGS],
)
def test_the_site_and_the_redirects_follow_the_importers_slug_rule(
    boundary_site, number, slug, follows
):
    """A slug that follows the rule is the name of its entity's page, and the w3id redirect
    for its IRI leads there; any other IRI gets a page with a name no slug can have, which no
    redirect reaches (so no redirect can land on another entity's page)."""
    from harmgraph.model.slugs import is_slug

    assert is_slug(slug) == follows
    rules = (boundary_site / "w3id" / ".htaccess").read_text(encoding="utf-8").splitlines()
    label = f"boundary harm {number}"
    listing = (boundary_site / "search-index.js").read_text(encoding="utf-8")
    entries = json.loads(listing[listing.index("[") : listing.rindex("]") + 1])
    (page,) = [href for href, _, text, _ in entries if text == label]
    assert _h1(boundary_site / page) == label
    name = page.removeprefix("id/harm/").removesuffix(".html")
    if follows:
        assert name == slug
        for accept, suffix in ((BROWSER_ACCEPT, ".html"), ("text/turtle", ".ttl")):
            target = _redirect(rules, f"id/harm/{slug}", accept)
            assert target == f"https://harmgraph.example.org/id/harm/{slug}{suffix}"
    else:
        assert name != slug and not is_slug(name)
        with pytest.raises(AssertionError, match="no rule"):
            _redirect(rules, f"id/harm/{name}", BROWSER_ACCEPT)
    assert (boundary_site / "id" / "harm" / f"{name}.ttl").is_file()


def test_an_entity_named_index_keeps_its_page_and_the_list_is_elsewhere(boundary_site):
    """Regression: the list of harms was written to id/harm/index.html over the page of the
    harm with slug `index`, so links and redirects to that harm landed on the list."""
    number = [s for s, _ in BOUNDARY_SLUGS].index("index")
    assert _h1(boundary_site / "id" / "harm" / "index.html") == f"boundary harm {number}"
    rules = (boundary_site / "w3id" / ".htaccess").read_text(encoding="utf-8").splitlines()
    listing = _redirect(rules, "id/harm", BROWSER_ACCEPT).removeprefix(
        "https://harmgraph.example.org/"
    )
    assert _h1(boundary_site / listing) == "Harms"
    page = (boundary_site / listing).read_text(encoding="utf-8")
    assert f"boundary harm {number}" in page
    home = (boundary_site / "index.html").read_text(encoding="utf-8")
    assert f'href="{listing}"' in home


def test_an_interrupt_between_the_two_renames_restores_the_previous_site(tmp_path, monkeypatch):
    """Regression: write_site moves the previous site aside, then the new one in; an interrupt
    between the two renames left no site at DIR (the previous one hidden in a temporary
    folder). The interrupt is raised by the second rename itself, the moment DIR is empty."""
    import os

    from harmgraph.publish import site as site_module
    from harmgraph.rdf.load import load_graph

    out = tmp_path / "site"
    graph = load_graph([MINI])
    site_module.write_site(graph, out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    real_replace = os.replace
    moves = []

    def interrupted_replace(source, target):
        if Path(source) == out or Path(target) == out:
            moves.append((Path(source), Path(target)))
        if Path(target) == out and len(moves) == 2:  # the new site moving in, the old one out
            raise KeyboardInterrupt
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", interrupted_replace)
    with pytest.raises(KeyboardInterrupt):
        site_module.write_site(graph, out)
    monkeypatch.setattr(os, "replace", real_replace)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"], "nothing left beside it"
    assert [m[0] == out for m in moves] == [True, False, False], moves  # out, in, back


# --- A map and gaps a funder can read (issue 19) ---

#: The gap kinds written as codes (the two that are plain English words are left out).
GAP_CODE = re.compile(
    r"\b(no-intervention|broader-only|no-evaluated-intervention|empty-cell|"
    r"unevaluated-intervention|weak-evidence|research-need|not-reviewed)\b"
)


def _tree(path: Path):
    return html5lib.parse(path.read_bytes(), namespaceHTMLElements=False)


def _visible(element) -> str:
    """The text a reader sees in an element (scripts and styles left out)."""
    skip = {"script", "style"}
    parts = []

    def walk(node) -> None:  # noqa: ANN001
        if node.tag not in skip:
            parts.append(node.text or "")
            for child in node:
                walk(child)
                parts.append(child.tail or "")

    walk(element)
    return " ".join("".join(parts).split())


def test_gaps_are_in_plain_words_and_name_their_review_once_as_a_link(site):
    """gaps.html: every gap, grouped under its kind's meaning, never its code; each gap that a
    review searched links that review once and gives its strength once; no review's queries."""
    from harmgraph import find_gaps, load_graph
    from harmgraph.analysis.gaps import GAP_MEANINGS
    from harmgraph.model.reviews import read_reviews

    graph = load_graph()
    gaps = find_gaps(graph)
    tree = _tree(site / "gaps.html")
    main = tree.find(".//main")
    text = _visible(main)
    assert not GAP_CODE.findall(text), GAP_CODE.findall(text)[:5]
    headings = [_visible(h) for h in main.iter("h2")]
    for kind in {g["kind"] for g in gaps}:
        meaning = GAP_MEANINGS[kind]
        n = sum(g["kind"] == kind for g in gaps)
        assert f"{meaning[0].upper()}{meaning[1:]} ({n})" in headings, kind
    items = [li for li in main.iter("li") if li.get("class") == "gap"]
    assert len(items) == len(gaps)
    strengths = {r.strength() for r in read_reviews(graph)}
    for li, gap in zip(items, gaps, strict=True):
        item = _visible(li)
        links = [a.get("href") for a in li.iter("a")]
        if gap["review"]:
            review = gap["review"]
            href = f"id/review/{review['iri'].rsplit('/', 1)[1]}.html"
            assert links.count(href) == 1, (item, links)
            assert item.count(review["label"]) == 1, item
            assert sum(item.count(s) for s in strengths) == 1, item
    queries = {s.query for r in read_reviews(graph) for s in r.searches if len(s.query) > 30}
    assert queries and not [q for q in queries if q in text]


def test_entity_and_priorities_pages_show_gap_kinds_in_words_and_link_the_review(site):
    from harmgraph.analysis.gaps import GAP_MEANINGS

    meanings = {m[0].upper() + m[1:] for m in GAP_MEANINGS.values()}
    page = _tree(site / "id" / "intervention" / "grooming-detection-in-conversations.html")
    items = [li for li in page.iter("li") if li.get("class") == "gap"]
    assert items
    for li in items:
        assert _visible(li.find("p/strong")) in meanings
        assert not GAP_CODE.findall(_visible(li))
    assert any(
        a.get("href", "").startswith("../../id/review/") for li in items for a in li.iter("a")
    )
    priorities = _tree(site / "priorities.html").find(".//table[@id='priorities']")
    rows = priorities.find("tbody").findall("tr")
    assert rows and all(_visible(r.findall("td")[2]) in meanings for r in rows)
    assert not GAP_CODE.findall(_visible(priorities))
    searched = [r for r in rows if "in review" in _visible(r.findall("td")[4])]
    assert searched and all(
        any(a.get("href", "").startswith("id/review/") for a in r.findall("td")[4].iter("a"))
        for r in searched
    )


def test_the_review_overview_has_coverage_strength_flow_and_every_review(site):
    from harmgraph import load_graph
    from harmgraph.model.coverage import review_coverage
    from harmgraph.model.reviews import read_reviews
    from harmgraph.model.screening import screening_flow

    graph = load_graph()
    tree = _tree(site / "reviews.html")
    main = tree.find(".//main")
    text = _visible(main)
    cover = review_coverage(graph)
    assert f"{cover['searched_cells']} of the {cover['cells']} cells" in text
    assert f"{cover['listed_not_searched']} more are listed" in text
    flow = screening_flow(graph)
    cells = {
        _visible(tr.findall("td")[0]): _visible(tr.findall("td")[1])
        for tr in main.find(".//table[@id='flow-table']/tbody").findall("tr")
    }
    assert cells["Records considered"] == f"{flow['considered']:,}"
    assert cells["Included"] == f"{flow['included']:,}"
    assert cells["Claims they produced"] == f"{flow['claims_produced']:,}"
    types = _visible(main.find(".//table[@id='types-table']"))
    assert "rapid web scan" in types and "nothing" in types
    reviews = read_reviews(graph)
    rows = main.find(".//table[@id='reviews-table']/tbody").findall("tr")
    assert len(rows) == len(reviews)
    hrefs = {tr.find("td/a").get("href") for tr in rows}
    assert hrefs == {f"id/review/{r.iri.rsplit('/', 1)[1]}.html" for r in reviews}
    assert all((site / href).is_file() for href in hrefs)
    assert "kappa" in text.lower() and any("sampled" in _visible(tr) for tr in rows)
    # Linked from the navigation of every page and from the index.
    for page in ("index.html", "gaps.html", "id/harm/normalisation.html"):
        nav = _tree(site / page).find(".//nav")
        assert any(a.get("href", "").endswith("reviews.html") for a in nav.iter("a")), page
    index = _tree(site / "index.html").find(".//main")
    assert any(a.get("href") == "reviews.html" for a in index.iter("a"))


def test_an_intervention_page_summarises_each_harm_with_its_strongest_claim(site, kb):
    iri = rdflib.URIRef(ID + "intervention/hash-matching")
    harms = {
        str(kb.value(c, RDF_OBJECT))
        for c in kb.subjects(rdflib.RDF.subject, iri)
        if kb.value(c, rdflib.RDF.predicate) == HG.addresses
    }
    tree = _tree(site / "id" / "intervention" / "hash-matching.html")
    summary = tree.find(".//ul[@class='addresses']")
    lines = summary.findall("li")
    assert len(lines) == len(harms) > 1
    linked = {li.find("a").get("href") for li in lines}
    assert linked == {f"../../id/harm/{h.rsplit('/', 1)[1]}.html" for h in harms}
    for li in lines:
        text = _visible(li)
        assert re.search(r"(high|moderate|low) confidence, .+, (supports|disputes|mixed)", text)
        claim = li.findall("a")[1].get("href")
        assert claim.startswith("../../id/claim/")
        assert " claim(s) from " in text


def test_the_search_index_holds_alternative_labels(site, kb):
    text = (site / "search-index.js").read_text(encoding="utf-8")
    entries = json.loads(text[text.index("[") : text.rindex("]") + 1])
    by_page = {e[0]: e for e in entries}
    entry = by_page["id/harm/sexual-extortion.html"]
    assert entry[2] == "sexual extortion" and "sextortion" in entry[3]
    alts = {
        (str(s), str(o))
        for s, o in kb.subject_objects(rdflib.SKOS.altLabel)
        if str(s).startswith(ID)
    }
    found = {
        (ID + e[0].removesuffix(".html").removeprefix("id/"), a) for e in entries for a in e[3]
    }
    assert alts and alts <= found


def test_the_standalone_map_opens_as_the_sites_and_says_its_links_wait_for_w3id(site):
    done = run_cli("matrix", "--format", "html")
    assert done.returncode == 0, done.stderr
    alone = html5lib.parse(done.stdout, namespaceHTMLElements=False)
    in_site = _tree(site / "map.html")

    def start(tree) -> dict:  # noqa: ANN001
        return json.loads(tree.find(".//script[@id='map-data']").text)["start"]

    assert start(alone) == start(in_site) == {"rows": "intervention", "cols": "harm", "filters": {}}
    note = alone.find(".//p[@id='iri-note']")
    assert note is not None and "w3id.org" in _visible(note)
    assert note in list(alone.find(".//section[@id='details']"))
    assert in_site.find(".//p[@id='iri-note']") is None


def test_every_screenshot_the_docs_show_is_there():
    """The site's and the app's pages show screenshots taken by docs/screenshots.py."""
    for page in ("site.md", "app.md", "reviews-and-gaps.md"):
        text = (ROOT / "docs" / page).read_text(encoding="utf-8")
        images = re.findall(r"!\[[^\]]+\]\(([^)]+\.png)\)", text)
        assert images, page
        for image in images:
            assert (ROOT / "docs" / image).is_file(), (page, image)
            assert image in (ROOT / "docs" / "screenshots.py").read_text(encoding="utf-8")
