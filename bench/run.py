"""Benchmark harmgraph against rdflib and a plain-Python floor, at several sizes, in one run.

    python bench/run.py [--sizes 100000,1000000] [--cap 120] [--out bench/results.json]
                        [--from-json bench/results.json]

For each size it writes a synthetic graph (``harmgraph synth``) plus the ontology and the
derived relations as one N-Triples file, then runs three workers, each in its own process so
that time and peak memory (RSS) are measured separately:

- ``harmgraph``: load into the pyoxigraph store; the analysis (read the evidence with SPARQL,
  build the evidence-gap matrix, find every gap); export to Turtle and JSON-LD; SHACL
  validation; networkx build and one ego network.
- ``rdflib``: ``rdflib.Graph().parse``; the same analysis with the same SPARQL queries run by
  rdflib's engine; rdflib's Turtle and JSON-LD serialisers; pySHACL on the whole graph.
- ``floor``: the same analysis from a plain-Python pass over the triples (already in a list).

The harmgraph worker runs twice, before and after the baselines, and each of its steps is the
mean of the two runs (its peak memory the larger): the machine's speed drifts over the minutes
the baselines take, and a drift that is steady over the run cancels out of the mean. Both runs
are kept in the results file (``harmgraph_runs``).

A baseline step that runs past ``--cap`` seconds is stopped and reported as ``>cap``; its ratio
is then a lower bound. Results print as a table and are written as JSON; docs/scale.md shows
them as Markdown (``markdown``), rendered from that file by ``make docs``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Capped(Exception):
    pass


def _alarm(signum, frame):  # noqa: ANN001
    raise Capped


def timed(results: dict, name: str, cap: float, action):  # noqa: ANN001
    """Run ``action``; store its seconds (or the cap, marked) under ``name``; return its value."""
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, cap)
    start = time.perf_counter()
    try:
        value = action()
        results[name] = {"seconds": round(time.perf_counter() - start, 3), "capped": False}
        return value
    except Capped:
        results[name] = {"seconds": cap, "capped": True}
        return None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class _Holder:
    """Stands in for a LoadedGraph when the evidence comes from elsewhere."""

    def __init__(self, evidence, store=None, reviews=None) -> None:  # noqa: ANN001
        self.cache = {"evidence": evidence}
        # The review reader queries the store directly, so the rdflib run answers those
        # queries with rdflib too; the floor reads its reviews itself.
        self.store = store
        if reviews is not None:
            self.cache["reviews"] = reviews


def analyse(graph) -> tuple[int, int]:  # noqa: ANN001
    from harmgraph.analysis.gaps import find_gaps
    from harmgraph.analysis.matrix import build_matrix

    matrix = build_matrix(graph, "intervention", "harm")
    return len(matrix.rows) * len(matrix.cols), len(find_gaps(graph))


def worker_harmgraph(path: Path, cap: float) -> dict:
    from harmgraph.analysis.network import build_network, ego_network
    from harmgraph.model.evidence import read_evidence
    from harmgraph.rdf.load import load_graph
    from harmgraph.shacl.validate import validate_graph

    results: dict = {}
    graph = timed(results, "load", cap, lambda: load_graph([path]))
    results["rss_after_load_mb"] = rss_mb()
    timed(results, "analysis", cap, lambda: (read_evidence(graph), analyse(graph)))
    results["cells_and_gaps"] = analyse(graph)
    timed(results, "export_turtle", cap, lambda: graph.store.dump("turtle"))
    timed(results, "export_jsonld", cap, lambda: graph.store.dump("jsonld"))
    report = timed(results, "validate", cap, lambda: validate_graph(graph))
    results["conforms"] = report.conforms if report else None
    network = timed(results, "networkx_build", cap, lambda: build_network(graph))
    center = next(n for n, d in network.nodes(data=True) if d["kind"] == "harm")
    timed(results, "ego_network", cap, lambda: ego_network(graph, center, 2))
    results["rss_peak_mb"] = rss_mb()
    return results


class _RdflibStore:
    """Answers harmgraph's queries with rdflib's SPARQL engine, in the same row format."""

    def __init__(self, graph) -> None:  # noqa: ANN001
        self.graph = graph

    def query_many(self, queries: list[str]) -> Iterator[list[dict]]:
        # One after another: rdflib's engine is Python, so threads would only take turns.
        return map(self.query, queries)

    def query(self, sparql: str) -> list[dict]:
        import rdflib

        from harmgraph.rdf.store import with_prefixes

        rows = []
        result = self.graph.query(with_prefixes(sparql))
        names = [str(v) for v in result.vars]
        for row in result:
            values = {}
            for name, term in zip(names, row, strict=True):
                if term is None:
                    values[name] = None
                elif isinstance(term, rdflib.BNode):
                    values[name] = "_:" + str(term)
                else:
                    values[name] = str(term)
            rows.append(values)
        return rows


def worker_rdflib(path: Path, cap: float) -> dict:
    import rdflib
    from pyshacl import validate

    from harmgraph.model.evidence import read_evidence_from
    from harmgraph.rdf.load import shapes_file

    results: dict = {}
    graph = timed(results, "load", cap, lambda: rdflib.Graph().parse(path, format="nt"))
    results["rss_after_load_mb"] = rss_mb()
    if graph is None:
        return results

    class Source:
        store = _RdflibStore(graph)

    def analysis():  # noqa: ANN202
        return analyse(_Holder(read_evidence_from(Source.store), Source.store))

    results["cells_and_gaps"] = timed(results, "analysis", cap, analysis)
    timed(results, "export_turtle", cap, lambda: graph.serialize(format="turtle"))
    timed(results, "export_jsonld", cap, lambda: graph.serialize(format="json-ld"))
    shapes = rdflib.Graph().parse(shapes_file())
    timed(results, "validate", cap, lambda: validate(graph, shacl_graph=shapes, inference="none"))
    results["rss_peak_mb"] = rss_mb()
    return results


def worker_floor(path: Path, cap: float) -> dict:
    """The analysis from a plain-Python pass over triples held in a list."""
    from harmgraph.model.evidence import (
        CLASS_KIND,
        CONFIDENCE_RANK,
        Citation,
        Claim,
        Entity,
        Evidence,
        local,
    )
    from harmgraph.model.reviews import Review, ScreeningRecord, Search
    from harmgraph.rdf.namespaces import HG_IRI

    triples = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            s, p, rest = line.rstrip(" .\n").split(" ", 2)
            triples.append(
                (s.strip("<>"), p.strip("<>"), rest.strip("<>") if rest.startswith("<") else rest)
            )
    results: dict = {"triples": len(triples)}
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    skos = "http://www.w3.org/2004/02/skos/core#"

    def text(value: str) -> str:
        return value.split('"')[1] if value.startswith('"') else value

    def build() -> Evidence:
        by_subject: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for s, p, o in triples:
            by_subject[s][p].append(o)
        entities, claims, parents, relations, years, labels = {}, [], {}, set(), {}, {}
        for s, props in by_subject.items():
            if skos + "prefLabel" in props:
                labels[local(s)] = text(props[skos + "prefLabel"][0])
            for cls in props.get(rdf_type, []):
                name = cls[len(HG_IRI) :] if cls.startswith(HG_IRI) else ""
                if name in CLASS_KIND:
                    entities[s] = Entity(
                        iri=s,
                        kind=CLASS_KIND[name],
                        label=text(
                            (
                                props.get(skos + "prefLabel")
                                or props.get("http://purl.org/dc/terms/title")
                                or [s]
                            )[0]
                        ),
                        top=skos + "topConceptOf" in props,
                        stage=local(props[HG_IRI + "lifecycleStage"][0])
                        if HG_IRI + "lifecycleStage" in props
                        else "",
                        level=local(props[HG_IRI + "preventionLevel"][0])
                        if HG_IRI + "preventionLevel" in props
                        else "",
                    )
                    if name == "EvidenceSource":
                        years[s] = int(text(props["http://purl.org/dc/terms/date"][0])[:4])
                elif name == "Claim":
                    citations = [
                        Citation(
                            by_subject[c][HG_IRI + "source"][0],
                            text(by_subject[c][HG_IRI + "locator"][0]),
                        )
                        for c in props[HG_IRI + "citation"]
                    ]
                    claims.append(
                        Claim(
                            iri=s,
                            subject=props["http://www.w3.org/1999/02/22-rdf-syntax-ns#subject"][0],
                            predicate=local(
                                props["http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate"][0]
                            ),
                            object=props["http://www.w3.org/1999/02/22-rdf-syntax-ns#object"][0],
                            direction=local(props[HG_IRI + "direction"][0]),
                            confidence=CONFIDENCE_RANK.get(
                                local(props[HG_IRI + "confidence"][0]), 0
                            ),
                            kind=local(props[HG_IRI + "evidenceKind"][0]),
                            created="",
                            citations=citations,
                        )
                    )
            if skos + "broader" in props:
                parents[s] = props[skos + "broader"]
            for relation in (
                "enables",
                "addresses",
                "implementedBy",
                "targets",
                "affects",
                "perpetratedBy",
            ):
                for o in props.get(HG_IRI + relation, []):
                    relations.add((s, relation, o))
        stated_by, concerns = {}, {}
        for s, props in by_subject.items():
            if HG_IRI + "Gap" in props.get(rdf_type, []):
                stated_by[s] = props[HG_IRI + "source"][0]
                concerns[s] = sorted(props.get(HG_IRI + "concerns", []))
        evidence = Evidence(
            entities=entities,
            claims=sorted(claims, key=lambda c: c.iri),
            parents=parents,
            relations=sorted(relations),
            source_years=years,
            value_labels=labels,
            stated_by=stated_by,
            concerns=concerns,
        )
        return evidence, read_reviews(by_subject)

    def read_reviews(by_subject: dict) -> list[Review]:
        reviews = []
        for s, props in by_subject.items():
            if HG_IRI + "Review" not in props.get(rdf_type, []):
                continue
            review = Review(
                s,
                label=text((props.get(skos + "prefLabel") or [s])[0]),
                date=text((props.get("http://purl.org/dc/terms/date") or [""])[0]),
                harms=set(props.get(HG_IRI + "reviewedHarm", [])),
                interventions=set(props.get(HG_IRI + "reviewedIntervention", [])),
            )
            kind_of = props.get(HG_IRI + "reviewType") or [""]
            review.review_type = local(kind_of[0]) if kind_of[0] else ""
            for method in props.get(HG_IRI + "method", []):
                fields = by_subject[method]
                types = fields.get(rdf_type, [])
                kind = next((local(t) for t in types if t.startswith(HG_IRI)), "")
                sought = (fields.get(HG_IRI + "sought") or [""])[0]
                place = (fields.get(HG_IRI + "placeKind") or [""])[0]
                review.searches.append(
                    Search(
                        iri=method,
                        review=s,
                        kind=kind,
                        place_kind=local(place) if place else "",
                        aimed_at=set(fields.get(HG_IRI + "aimedAt", [])),
                        sought=local(sought) if sought else "",
                    )
                )
            for record in props.get(HG_IRI + "screened", []):
                fields = by_subject[record]
                review.records.append(
                    ScreeningRecord(
                        iri=record,
                        found_by=(fields.get(HG_IRI + "foundBy") or [""])[0],
                        decision=local((fields.get(HG_IRI + "decision") or [""])[0]),
                        source=(fields.get(HG_IRI + "includedSource") or [""])[0],
                        claims=set(fields.get(HG_IRI + "producedClaim", [])),
                    )
                )
            reviews.append(review)
        return sorted(reviews, key=lambda r: (r.date, r.iri), reverse=True)

    def analysis():  # noqa: ANN202
        evidence, reviews = build()
        return analyse(_Holder(evidence, reviews=reviews))

    results["cells_and_gaps"] = timed(results, "analysis", cap, analysis)
    results["rss_peak_mb"] = rss_mb()
    return results


WORKERS = {"harmgraph": worker_harmgraph, "rdflib": worker_rdflib, "floor": worker_floor}
#: harmgraph before and after the baselines (see the module's docstring).
ORDER = ("harmgraph", "rdflib", "floor", "harmgraph")


def mean_run(first: dict, second: dict) -> dict:
    """One harmgraph run from two: each step's mean seconds, the larger memory figures.

    >>> mean_run({"load": {"seconds": 1.0, "capped": False}, "rss_peak_mb": 10.0, "conforms": True},
    ...          {"load": {"seconds": 2.0, "capped": False}, "rss_peak_mb": 12.0, "conforms": True})
    {'load': {'seconds': 1.5, 'capped': False}, 'rss_peak_mb': 12.0, 'conforms': True}
    """
    merged: dict = {}
    for key, value in first.items():
        other = second.get(key)
        if isinstance(value, dict) and "seconds" in value:
            merged[key] = {
                "seconds": round((value["seconds"] + other["seconds"]) / 2, 3),
                "capped": value["capped"] or other["capped"],
            }
        elif key.startswith("rss"):
            merged[key] = max(value, other)
        elif value != other:
            raise SystemExit(f"the two harmgraph runs disagree on {key}: {value} and {other}")
        else:
            merged[key] = value
    return merged


def prepare(size: int, folder: Path) -> Path:
    synth = folder / f"synth-{size}.nt"
    full = folder / f"full-{size}.nt"
    harmgraph = [sys.executable, "-m", "harmgraph"]
    subprocess.run(
        [*harmgraph, "synth", "--triples", str(size), "--seed", "1", "--output", str(synth)],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    with full.open("wb") as out:
        subprocess.run(
            [*harmgraph, "--data", str(synth), "export", "--format", "ntriples"],
            check=True,
            stdout=out,
            cwd=ROOT,
        )
    return full


def ratio(numerator: dict | None, denominator: dict | None) -> str:
    if not numerator or not denominator:
        return "n/a"
    value = numerator["seconds"] / max(denominator["seconds"], 1e-6)
    return (">" if numerator.get("capped") else "") + f"{value:.1f}x"


STEPS = (
    ("load", "load"),
    ("analysis", "matrix and gaps"),
    ("export_turtle", "export Turtle"),
    ("export_jsonld", "export JSON-LD"),
    ("validate", "SHACL validation"),
    ("networkx_build", "networkx build"),
    ("ego_network", "one ego network"),
)


def _seconds(entry: dict | None) -> str:
    if not entry:
        return "-"
    return (">" if entry["capped"] else "") + f"{entry['seconds']:.2f} s"


def markdown(report: dict) -> str:
    """The results as Markdown tables, one per size, for docs/scale.md."""
    machine = report["machine"]
    lines = [
        f"Measured on {machine['cpus']} cores, Python {machine['python']}, "
        f"{machine['system']}; a baseline step stopped at the {report['cap_seconds']:.0f} s cap "
        "shows as `>`, and its ratio is a lower bound."
        + (
            " harmgraph's seconds are the mean of two runs, one before and one after the "
            "baselines, and its peak memory the larger of the two."
            if all("harmgraph_runs" in data for data in report["sizes"].values())
            else ""
        ),
    ]
    for size, data in report["sizes"].items():
        runs = data["runs"]
        lines += [
            "",
            f"**{int(size):,} triples requested** ({data['triples']:,} in the file)",
            "",
            "| step | harmgraph | rdflib / pySHACL | plain-Python floor |",
            "| --- | ---: | ---: | ---: |",
        ]
        for step, label in STEPS:
            cells = [_seconds(runs[name].get(step)) for name in ("harmgraph", "rdflib", "floor")]
            lines.append(f"| {label} | {' | '.join(cells)} |")
        lines.append(
            f"| peak RSS | {runs['harmgraph']['rss_peak_mb']:.0f} MB | "
            f"{runs['rdflib']['rss_peak_mb']:.0f} MB | {runs['floor']['rss_peak_mb']:.0f} MB |"
        )
        lines += ["", "| ratio (target) | measured |", "| --- | ---: |"]
        lines += [f"| {name} | {value} |" for name, value in data["ratios"].items()]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--cap", type=float, default=120.0)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json")
    parser.add_argument(
        "--from-json", type=Path, help="render an earlier results file instead of measuring"
    )
    parser.add_argument("--worker", choices=list(WORKERS), help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(WORKERS[args.worker](args.file, args.cap)))
        return
    if args.from_json:
        report = json.loads(args.from_json.read_text(encoding="utf-8"))
        print(markdown(report))
        return
    report = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "system": platform.platform(),
        },
        "cap_seconds": args.cap,
        "sizes": {},
    }
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            path = prepare(size, Path(tmp))
            runs: dict = {}
            ours_twice = []
            for name in ORDER:
                done = subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "--worker",
                        name,
                        "--file",
                        str(path),
                        "--cap",
                        str(args.cap),
                    ],
                    capture_output=True,
                    text=True,
                    cwd=ROOT,
                )
                if done.returncode != 0:
                    raise SystemExit(
                        f"worker {name} failed at {size} (exit {done.returncode}):\n"
                        f"{done.stderr[-3000:]}{done.stdout[-1000:]}"
                    )
                runs[name] = json.loads(done.stdout.strip().splitlines()[-1])
                if name == "harmgraph":
                    ours_twice.append(runs[name])
                print(f"  {size:>9,} {name:<9} done", file=sys.stderr)
            runs["harmgraph"] = mean_run(*ours_twice)
            ours, base, floor = runs["harmgraph"], runs["rdflib"], runs["floor"]
            ratios = {
                "load_vs_rdflib (target >= 10x)": ratio(base.get("load"), ours.get("load")),
                "analysis_vs_rdflib_sparql (target >= 15x)": ratio(
                    base.get("analysis"), ours.get("analysis")
                ),
                "analysis_vs_python_floor (target <= 1.5x)": ratio(
                    ours.get("analysis"), floor.get("analysis")
                ),
                "export_turtle_vs_rdflib (target >= 20x)": ratio(
                    base.get("export_turtle"), ours.get("export_turtle")
                ),
                "export_jsonld_vs_rdflib (target >= 20x)": ratio(
                    base.get("export_jsonld"), ours.get("export_jsonld")
                ),
                "validate_vs_pyshacl (target >= 2x)": ratio(
                    base.get("validate"), ours.get("validate")
                ),
                "peak_rss_vs_rdflib (target <= 0.5)": (
                    f"{ours['rss_peak_mb'] / base['rss_peak_mb']:.2f}"
                ),
            }
            report["sizes"][str(size)] = {
                "triples": floor.get("triples"),
                "runs": runs,
                "harmgraph_runs": ours_twice,
                "ratios": ratios,
            }
    args.out.write_text(json.dumps(report, indent=2))
    for size, data in report["sizes"].items():
        print(f"\n{int(size):,} triples requested ({data['triples']:,} in the file)")
        for step, _ in STEPS:
            cells = [_seconds(data["runs"][name].get(step)) for name in WORKERS]
            print(
                f"  {step:<16} harmgraph {cells[0]:>10}  rdflib {cells[1]:>10}  "
                f"floor {cells[2]:>10}"
            )
        runs = data["runs"]
        print(
            f"  {'peak RSS':<16} harmgraph {runs['harmgraph']['rss_peak_mb']:>8} MB  rdflib "
            f"{runs['rdflib']['rss_peak_mb']:>8} MB"
        )
        for name, value in data["ratios"].items():
            print(f"  {name:<44} {value}")
    print(f"\nwritten to {args.out}")


if __name__ == "__main__":
    main()
