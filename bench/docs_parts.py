"""Render the measured figures of docs/scale.md from the results files the bench scripts write.

Three parts: ``profile_markdown`` (the load profile, the JSON-LD split and what ``--store``
saves, from ``bench/profile-results.json`` and ``bench/store-results.json``), ``app_markdown``
(page times in Chromium, from ``bench/app-results.json`` and ``bench/app-results-100k.json``) and
``targets_markdown`` (every speed target of issue 14 as a ratio measured in one run, with where
the time goes: ``bench/whole-process-results.json``, with the load and JSON-LD rows of
``bench/results.json`` and the app's first page). The cog blocks of docs/scale.md call them
through ``docs/docgen.py`` (``make docs``, and ``make bench*`` after measuring); a test checks
docs/scale.md against them and the committed results files, so no figure is typed by hand.
"""

from __future__ import annotations


def profile_markdown(profile: dict, store: dict) -> str:
    steps = profile["load_steps"]
    total = sum(steps.values())
    rdflib_seconds = profile["rdflib_parse_seconds"]
    labels = {
        "read": "read the bytes and check they are UTF-8 text",
        "index": "pyoxigraph: parse and index the file into the in-memory store",
        "ontology": "ontology files and ontology-version check",
        "derive": "derive the direct relations from the claims (one SPARQL update)",
        "shapes": "load the SHACL shapes",
    }
    rows = [
        f"`python bench/profile_load.py` on {profile['file']} ({profile['triples']:,} triples), "
        "in a fresh process:",
        "",
        "| step | seconds | share |",
        "| --- | ---: | ---: |",
    ]
    for key, label in labels.items():
        if key not in steps:  # steps that the load no longer takes
            continue
        rows.append(f"| {label} | {steps[key]:.2f} | {steps[key] / total:.0%} |")
        if key == "index":
            rows.append(
                f"| (of which parsing alone, measured separately) | "
                f"({profile['parse_only_seconds']:.2f}) | |"
            )
    rows += [
        f"| total, against rdflib's {rdflib_seconds:.1f} s | {total:.2f} | "
        f"{rdflib_seconds / total:.1f}x |",
        "",
        f"Indexing is {steps['index'] / total:.0%} of the load, and harmgraph cannot shorten "
        "it: pyoxigraph's `bulk_load` into an in-memory store took "
        f"{profile['bulk_load_seconds']:.2f} s in the same run, against {steps['index']:.2f} s "
        "for the plain load; with every other step removed the ratio would be "
        f"{rdflib_seconds / steps['index']:.1f}x. What a user can do instead is not load twice: "
        "with `--store DIR` (`python bench/store_reuse.py`), a whole `stats` command took "
        f"{store['store_build_seconds']:.1f} s the first time (building the store) and "
        f"{store['store_reuse_seconds']:.1f} s after, against {store['in_memory_seconds']:.1f} s "
        "in memory.",
        "",
    ]
    jsonld = profile["jsonld"]
    writer, export = jsonld["pyoxigraph_writer_seconds"], jsonld["export_seconds"]
    # Two separate timings of nearly the same work: on a busy machine the writer alone can take
    # longer than the whole export, and a share above 100% would read as nonsense.
    share = (
        f"{writer / export:.0%} of it"
        if writer <= export
        else "all of it, within the noise of two timings"
    )
    rows.append(
        f"JSON-LD export: {share} ({writer:.2f} s for the writer alone, {export:.2f} s for the "
        "whole export, each measured in isolation) is pyoxigraph's own JSON-LD "
        "writer; harmgraph only splices the named graphs' arrays, without copying them. "
        f"pyoxigraph writes expanded JSON-LD, {jsonld['bytes'] / 1e6:.0f} MB against "
        f"{jsonld['turtle_bytes'] / 1e6:.0f} MB of Turtle for the same graph."
    )
    return "\n".join(rows)


def app_markdown(bundled: dict, large: dict) -> str:
    def spread(report: dict) -> tuple[float, float, float, float]:
        warm = [p["warm_seconds"] for p in report["pages"].values()]
        ratios = [p["vs_bare_page"] for p in report["pages"].values()]
        return min(warm), max(warm), min(ratios), max(ratios)

    low, high, r_low, r_high = spread(bundled)
    l_low, l_high, lr_low, lr_high = spread(large)
    first_ratio = large["first_page_cold_seconds"] / large["baseline"]["cold_seconds"]
    return (
        "`make bench-app` (`bench/app_pages.py`) opens every page in Chromium and times it "
        "against a one-line Streamlit page served the same way, in the same run. On the bundled "
        f"graph: the first page, cold (graph loaded, caches filled), "
        f"{bundled['first_page_cold_seconds']:.2f} s; warm pages {low:.2f}-{high:.2f} s, "
        f"{r_low:.1f}-{r_high:.1f}x the bare page ({bundled['baseline']['warm_seconds']:.2f} s); "
        f"the network view at depth 3 draws {bundled['pages']['network']['drawn']}. On a "
        f"{large['triples']:,}-triple synthetic graph (`{' '.join(large['data_args'])}`): the "
        f"first page, cold, {large['first_page_cold_seconds']:.2f} s, "
        f"{first_ratio:.1f}x the bare page's cold start "
        f"({large['baseline']['cold_seconds']:.2f} s); warm pages {l_low:.2f}-{l_high:.2f} s, "
        f"{lr_low:.1f}-{lr_high:.1f}x the bare page; the network view at depth 3 draws "
        f"{large['pages']['network']['drawn']} (the 300-node cap)."
    )


def _speedup(bench: dict, size: str, step: str) -> float | None:
    """rdflib's seconds over harmgraph's for one step of ``bench/run.py`` (None if missing)."""
    runs = bench["sizes"].get(size, {}).get("runs", {})
    ours, theirs = runs.get("harmgraph", {}).get(step), runs.get("rdflib", {}).get(step)
    if not ours or not theirs:
        return None
    return theirs["seconds"] / ours["seconds"]


def target_rows(whole: dict, bench: dict, app: dict) -> list[tuple[str, str, str, bool]]:
    """Each target of the speed issue: (what, measured, target, met)."""
    rows = []
    startup = whole["startup"]["difference_seconds"]
    rows.append(
        (
            "`harmgraph --version` minus a bare `python -c pass`",
            f"{startup:.3f} s",
            "at most 0.15 s",
            startup <= 0.15,
        )
    )
    for size, entry in whole["sizes"].items():
        n = f"{int(size) // 1000:,}k" if int(size) < 1_000_000 else f"{int(size) // 1_000_000}M"
        speed = entry["gaps_vs_rdflib_parse_speed"]
        wanted = 10 if int(size) >= 1_000_000 else 5
        rows.append(
            (
                f"whole `harmgraph --data {n}.nt gaps --format json` against rdflib parsing it: "
                "time",
                f"{speed:.1f}x faster",
                f"at least {wanted}x",
                speed >= wanted,
            )
        )
        memory = entry["gaps_vs_rdflib_parse_memory"]
        rows.append(
            (
                f"the same, peak memory ({entry['runs']['harmgraph_gaps_json']['peak_mb']:.0f} MB "
                f"against {entry['runs']['rdflib_parse']['peak_mb']:.0f} MB)",
                f"{memory:.2f}x the memory",
                "at most 0.5x",
                memory <= 0.5,
            )
        )
        overhead = entry["stats_vs_pyoxigraph_bulk_load"]
        rows.append(
            (
                f"whole `harmgraph --data {n}.nt stats` against pyoxigraph's own `bulk_load` of it",
                f"{overhead:.2f}x",
                "at most 1.5x",
                overhead <= 1.5,
            )
        )
    for size in bench["sizes"]:
        label = f"{int(size):,} triples"
        load = _speedup(bench, size, "load")
        if load is not None and int(size) >= 1_000_000:
            rows.append(
                (
                    f"load against rdflib, {label} (`bench/run.py`)",
                    f"{load:.1f}x",
                    "at least 10x",
                    load >= 10,
                )
            )
        jsonld = _speedup(bench, size, "export_jsonld")
        if jsonld is not None:
            rows.append(
                (
                    f"JSON-LD export against rdflib, {label} (`bench/run.py`)",
                    f"{jsonld:.1f}x",
                    "at least 20x",
                    jsonld >= 20,
                )
            )
    first = app["first_page_cold_seconds"] / app["baseline"]["cold_seconds"]
    rows.append(
        (
            f"first app page on a {app['triples']:,}-triple graph against a bare Streamlit page "
            "(`make bench-app`, cold)",
            f"{first:.1f}x",
            "at most 2x",
            first <= 2,
        )
    )
    return rows


PROFILE_STEPS = {
    "imports": "start-up imports (click and harmgraph's light modules)",
    "load": "load: parse and index the file, derive the direct relations",
    "read_evidence": "read the claims and entities (SPARQL, into Python objects)",
    "find_gaps": "find the gaps",
    "encode_json": "encode the JSON output",
}


def targets_markdown(whole: dict, bench: dict, app: dict) -> str:
    """The targets table and the gaps profile that explains the rows still short."""
    lines = [
        f"`python bench/whole_process.py` (part of `make bench`) on {whole['machine']['cpus']} "
        "cores; each ratio is measured in one run against its baseline, whole processes timed "
        "from outside (median of the runs), peak memory as the kernel reports it per process:",
        "",
        "| what | measured | target | met |",
        "| --- | ---: | ---: | :---: |",
    ]
    for what, measured, target, met in target_rows(whole, bench, app):
        lines.append(f"| {what} | {measured} | {target} | {'yes' if met else '**no**'} |")
    lines += [
        "",
        "The load and JSON-LD rows have their floors in the load profile above: indexing into "
        "pyoxigraph's store and pyoxigraph's own JSON-LD writer. Both baselines and harmgraph "
        "move between runs on a shared machine; the whole-process rows interleave their runs, "
        "the `bench/run.py` rows do not.",
    ]
    for entry in whole["sizes"].values():
        profile = entry["gaps_profile"]
        total = sum(profile[k] for k in PROFILE_STEPS)
        floor = profile["floor_pyoxigraph_load"]
        rdflib = entry["runs"]["rdflib_parse"]["seconds"]
        lines += [
            "",
            f"Where a whole `gaps --format json` goes at {entry['triples']:,} triples, step by "
            "step in one more fresh process:",
            "",
            "| step | seconds | share |",
            "| --- | ---: | ---: |",
        ]
        lines += [
            f"| {label} | {profile[key]:.2f} | {profile[key] / total:.0%} |"
            for key, label in PROFILE_STEPS.items()
        ]
        lines += [
            f"| total (the interpreter's own start-up not included) | {total:.2f} | |",
            "",
            f"The floor is pyoxigraph loading the file into a store, {floor:.2f} s in the same "
            f"process: no command that answers from the store can beat rdflib's parse "
            f"({rdflib:.2f} s) by more than {rdflib / floor:.1f}x at this size.",
        ]
        if "evidence_queries_as_rows" in profile:
            lines.append(
                "Reading the evidence is pyoxigraph evaluating the joins, not Python converting "
                "the rows: its eight queries took "
                f"{profile['evidence_queries_as_rows']:.2f} s with every row made Python "
                f"strings, and {profile['evidence_queries_serialised']:.2f} s serialised by "
                "pyoxigraph's own TSV writer with no Python object per term."
            )
    return "\n".join(lines)
