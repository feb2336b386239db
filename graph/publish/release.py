"""The release set that ``harmgraph build`` writes: every distribution, and ``void.ttl``
describing them with VoID and DCAT (version, date, licence, counts).

Writes are atomic: every file is written to a temporary folder beside the target
and moved into place only when all of them are complete, so a failed build
leaves the previous files as they were.

Examples
--------
>>> import tempfile
>>> from harmgraph.rdf.load import load_graph
>>> with tempfile.TemporaryDirectory() as folder:
...     sorted(p.name for p in build_release(load_graph(), Path(folder) / "build"))[-1]
'void.ttl'
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

from harmgraph.analysis.stats import graph_stats
from harmgraph.rdf.export import DISTRIBUTIONS, export_graph, new_folder, ontology_version
from harmgraph.rdf.load import LoadedGraph
from harmgraph.rdf.namespaces import DATA_GRAPH, HG_IRI, ONTOLOGY_IRI, PREFIXES

LICENCE = "https://creativecommons.org/licenses/by/4.0/"
DESCRIPTION = (
    "A knowledge graph of the harms of AI-generated child sexual abuse material, the technologies "
    "that enable them, the actors involved, the interventions that address them, and the "
    "evidence-graded claims behind every link."
)


def void_description(graph: LoadedGraph, files: dict[str, Path], today: dt.date) -> bytes:
    """Describe the release with VoID and DCAT: version, date, licence, counts, distributions."""
    # rdflib is imported here, by the one function that needs it, so that the CLI's start-up
    # does not pay for it.
    import rdflib
    from rdflib.namespace import DCAT, DCTERMS, RDF, VOID, XSD

    counts = graph_stats(graph)
    g = rdflib.Graph()
    for prefix in ("dcterms", "void", "dcat", "xsd", "hg"):
        g.bind(prefix, PREFIXES[prefix])
    dataset = rdflib.URIRef(DATA_GRAPH.replace("/graph/data", "/dataset"))
    hg = rdflib.Namespace(HG_IRI)
    g.add((dataset, RDF.type, VOID.Dataset))
    g.add((dataset, RDF.type, DCAT.Dataset))
    g.add((dataset, DCTERMS.title, rdflib.Literal("harmgraph knowledge graph", lang="en")))
    g.add(
        (
            dataset,
            DCTERMS.description,
            rdflib.Literal(
                DESCRIPTION,
                lang="en",
            ),
        )
    )
    g.add((dataset, DCTERMS.license, rdflib.URIRef(LICENCE)))
    g.add((dataset, DCTERMS.issued, rdflib.Literal(today.isoformat(), datatype=XSD.date)))
    g.add((dataset, rdflib.OWL.versionInfo, rdflib.Literal(ontology_version(graph))))
    g.add((dataset, DCTERMS.conformsTo, rdflib.URIRef(ONTOLOGY_IRI)))
    g.add((dataset, VOID.triples, rdflib.Literal(counts["triples"], datatype=XSD.integer)))
    g.add(
        (
            dataset,
            VOID.entities,
            rdflib.Literal(
                sum(
                    counts[k]
                    for k in (
                        "harms",
                        "technologies",
                        "actors",
                        "interventions",
                        "sources",
                        "claims",
                        "gaps",
                    )
                ),
                datatype=XSD.integer,
            ),
        )
    )
    g.add((dataset, VOID.vocabulary, rdflib.URIRef(HG_IRI)))
    for key, cls in (
        ("harms", "Harm"),
        ("technologies", "Technology"),
        ("actors", "Actor"),
        ("interventions", "Intervention"),
        ("sources", "EvidenceSource"),
        ("claims", "Claim"),
        ("gaps", "Gap"),
    ):
        part = rdflib.URIRef(f"{dataset}/class/{cls}")
        g.add((dataset, VOID.classPartition, part))
        g.add((part, VOID["class"], hg[cls]))
        g.add((part, VOID.entities, rdflib.Literal(counts[key], datatype=XSD.integer)))
    for fmt, path in files.items():
        dist = rdflib.URIRef(f"{dataset}/distribution/{fmt}")
        g.add((dataset, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add(
            (
                dist,
                DCAT.mediaType,
                rdflib.URIRef("https://www.iana.org/assignments/media-types/" + DISTRIBUTIONS[fmt]),
            )
        )
        g.add((dist, DCAT.downloadURL, rdflib.URIRef(path.name)))
        g.add((dist, DCAT.byteSize, rdflib.Literal(path.stat().st_size, datatype=XSD.integer)))
        g.add((dist, DCTERMS.license, rdflib.URIRef(LICENCE)))
    return g.serialize(format="turtle").encode("utf-8")


def build_release(graph: LoadedGraph, out_dir: Path, today: dt.date | None = None) -> list[Path]:
    """Write every distribution and ``void.ttl`` into ``out_dir`` atomically; return the paths."""
    # The store's table, imported here: pyoxigraph is loaded only when a graph is.
    from harmgraph.rdf.store import FORMATS

    today = today or dt.date.today()
    staging = new_folder(out_dir.parent, ".harmgraph-build-")
    try:
        written: dict[str, Path] = {}
        for fmt in DISTRIBUTIONS:
            path = staging / f"harmgraph.{FORMATS[fmt][1]}"
            path.write_bytes(export_graph(graph, fmt))
            written[fmt] = path
        (staging / "void.ttl").write_bytes(void_description(graph, written, today))
        out_dir.mkdir(parents=True, exist_ok=True)
        final = []
        for path in sorted(staging.iterdir()):
            target = out_dir / path.name
            os.replace(path, target)
            final.append(target)
        return final
    finally:
        shutil.rmtree(staging, ignore_errors=True)
