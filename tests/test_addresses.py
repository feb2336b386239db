"""Primary addresses: every source uses its DOI, its arXiv abstract page or its issuer's own page,
and a copy is kept only where the source records that the primary was not reached.

The host list is graph/model/non-primary-hosts.txt. A planted mirror, proxy, arXiv copy and a
DOI'd source with another address must each fail; the bundled graph must pass.
"""

from __future__ import annotations

import pytest

from harmgraph import load_graph
from harmgraph.model.addresses import is_primary, matches, non_primary, patterns, source_problems

SOURCES = """
SELECT ?source ?url ?doi ?missed WHERE {
    ?source a hg:EvidenceSource .
    OPTIONAL { ?source schema:url ?url }
    OPTIONAL { ?source bibo:doi ?doi }
    OPTIONAL { ?source hg:primaryNotReached ?missed }
}
"""


def problems_of(graph) -> dict[str, list[str]]:
    found = {}
    for row in graph.store.query(SOURCES):
        wrong = source_problems(row["url"] or "", row["doi"] or "", bool(row["missed"]))
        if wrong:
            found[row["source"]] = wrong
    return found


def test_every_bundled_source_has_a_primary_address():
    assert problems_of(load_graph()) == {}


def test_a_copy_is_kept_only_with_its_reason():
    graph = load_graph()
    rows = graph.store.query(SOURCES)
    copies = [r for r in rows if r["url"] and non_primary(r["url"])]
    assert copies, "the bundled graph keeps some copies whose primary was not reached"
    assert all(r["missed"] and len(r["missed"]) > 20 for r in copies)


PLANTED = [
    ("https://docslib.org/doc/123/a-paper", "", "docslib.org"),
    ("https://x.y.workers.dev/https/www.example.org/a", "", "*.workers.dev"),
    ("https://ar5iv.labs.arxiv.org/html/2303.05275", "", "arXiv"),
    ("https://arxiv.org/html/2505.03859v1", "", "arXiv"),
    ("https://www.arxiv.org/abs/2505.10664", "", "arXiv"),
    ("https://www.sciencedirect.com/science/article/pii/X", "10.1016/j.x.2020.01.001", "DOI"),
    ("https://doi.org/10.1016/j.other", "10.1016/j.x.2020.01.001", "DOI"),
    ("https://www.scribd.com/document/1/x", "", "scribd.com"),
]


@pytest.mark.parametrize(("url", "doi", "why"), PLANTED)
def test_a_planted_copy_fails(url, doi, why):
    found = source_problems(url, doi, not_reached=False)
    assert found and any(why.split(".")[0].strip("*") in p or why in p for p in found), found
    assert not is_primary(url) or doi


def test_a_planted_mirror_in_the_graph_fails(mini_with):
    graph = load_graph(
        [
            mini_with(
                "source:copy a hg:EvidenceSource ; "
                'dcterms:title "A copy"@en ; dcterms:publisher "X" ; '
                'dcterms:date "2024"^^xsd:gYear ; hg:sourceKind hg:Report ; '
                'schema:url "https://docslib.org/doc/1/a-copy" .'
            )
        ]
    )
    found = problems_of(graph)
    assert list(found) == ["https://w3id.org/harmgraph/id/source/copy"]
    assert "docslib.org" in found["https://w3id.org/harmgraph/id/source/copy"][0]


@pytest.mark.parametrize(
    "url",
    [
        "https://doi.org/10.1016/j.chiabu.2018.03.031",
        "https://arxiv.org/abs/2510.02978",
        "https://arxiv.org/abs/2505.10664v2",
        "https://www.iwf.org.uk/news-media/news/",
        "https://www.legislation.gov.uk/ukpga/2023/50",
        "https://eur-lex.europa.eu/eli/reg/2024/1689/oj",
    ],
)
def test_primary_addresses_pass(url):
    doi = url.removeprefix("https://doi.org/") if url.startswith("https://doi.org/") else ""
    assert is_primary(url) and source_problems(url, doi, not_reached=False) == []


def test_the_host_list_is_well_formed():
    rows = patterns()
    assert len(rows) > 100
    for pattern, why in rows:
        assert pattern == pattern.strip() and " " not in pattern, pattern
        assert why.split(":")[0] in {
            "mirror",
            "aggregator",
            "proxy",
            "search cache",
            "preview build",
            "content farm",
            "AI summary",
            "unrelated host",
        }, (pattern, why)


@pytest.mark.parametrize(
    ("url", "pattern", "expected"),
    [
        ("https://a.docslib.org/x", "docslib.org", True),
        ("https://notdocslib.org/x", "docslib.org", False),
        ("https://x.workers.dev/y", "*.workers.dev", True),
        ("https://trac.syr.edu/laws/18/x", "trac.syr.edu/laws/", True),
        ("https://trac.syr.edu/other", "trac.syr.edu/laws/", False),
        ("https://example.org/a?url=https://b", "url=http", True),
        ("https://example.org/a", "url=http", False),
    ],
)
def test_pattern_forms(url, pattern, expected):
    assert matches(url, pattern) is expected


def test_non_primary_screening_addresses_are_text_on_review_pages(bundled_site):
    """A screening record keeps the address where it was found, but the site shows a
    non-primary one as text, never as a link."""
    import re

    page = (bundled_site / "id" / "review" / "normalisation-all-interventions.html").read_text(
        encoding="utf-8"
    )
    links = re.findall(r'href="(https?://[^"]+)"', page)
    assert links and all(is_primary(u.replace("&amp;", "&")) for u in links)
    assert "not a primary address, shown as text" in page


def test_a_source_kept_as_a_copy_is_shown_as_text_not_a_link(bundled_site):
    """The copies kept where the primary was not reached are addresses of sources: the site
    shows them as text with the reason, never as a link; the app's links do the same."""
    from harmgraph.publish.escaping import html_link

    graph = load_graph()
    copy = next(r for r in graph.store.query(SOURCES) if r["missed"] and r["url"])
    slug = copy["source"].rsplit("/", 1)[1]
    page = (bundled_site / "id" / "source" / f"{slug}.html").read_text(encoding="utf-8")
    assert f'href="{copy["url"]}"' not in page and "primary address was not reached" in page
    assert "<a " not in html_link("the report", copy["url"])
    assert "<a " in html_link("the paper", "https://doi.org/10.1016/j.chiabu.2018.03.031")
