"""Make the fixture of a team's own review with the real tools: rispy writes the searches' RIS
files, harmgraph imports them and exports the records, and ASReview LAB screens and exports them.

    python tests/make_asreview_fixture.py [FOLDER]   (default: tests/data/own-review)

The records are made up for the tests (DOIs under the 10.5555 example prefix, addresses under
example.org), about research on interventions only. They plant the cases de-duplication must
get right: the same paper from two databases with its DOI in another case; a preprint and its
journal article (not duplicates); two papers with the same title in different years (not
duplicates); the same report without a DOI from both databases (a duplicate by title and year).

ASReview LAB runs in this process, as its own tests run it (its Flask app without
authentication, driven through Flask's test client: no server, no network): a project is made
from harmgraph's RIS export, records are labelled through the LAB's own API, with an exclusion
reason in a note and in a tag group exported as ``reason``, its model is trained so that the
unlabelled records are ranked, and the dataset is exported as CSV and as RIS by the LAB's own
export endpoint. A second project screens the full texts of the records the first found
relevant. Written: ``scopus.ris`` and ``wos.ris`` with their sidecars, ``title-abstract.csv``,
``title-abstract.ris`` and ``full-text.csv``, and ``expected.json`` (what each label was).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import rispy

FOLDER = Path(__file__).resolve().parent / "data" / "own-review"
HARMGRAPH = [sys.executable, "-m", "harmgraph"]

SEARCHES = {
    "scopus": [
        (
            "JOUR",
            "Evaluating deterrence messages shown to users of image generators",
            ["Example, Ann", "Sample, Bo"],
            "2024",
            "10.5555/HG-TEST.1",
            "",
        ),
        (
            "JOUR",
            "Hash matching of synthetic imagery: a field study",
            ["Tester, Cy"],
            "2023",
            "10.5555/hg-test.2",
            "",
        ),
        (
            "RPRT",
            "School-based education about sexual deepfakes",
            ["Example Research Group"],
            "2022",
            "",
            "https://example.org/reports/school-education",
        ),
        (
            "JOUR",
            "Survivor perspectives on support after image-based abuse",
            ["Sample, Di", "Example, Ed"],
            "2021",
            "10.5555/hg-test.4",
            "",
        ),
        (
            "JOUR",
            "Platform policies on synthetic sexual imagery of children",
            ["Tester, Fay"],
            "2020",
            "",
            "",
        ),
    ],
    "wos": [
        (
            "JOUR",
            "Evaluating Deterrence Messages Shown to Users of Image Generators.",
            ["Example, A."],
            "2024",
            "https://doi.org/10.5555/hg-test.1",
            "",
        ),
        (
            "UNPB",
            "Hash matching of synthetic imagery: a field study",
            ["Tester, Cy"],
            "2023",
            "10.48550/arXiv.2301.99999",
            "",
        ),
        (
            "RPRT",
            "School-based education about sexual deepfakes",
            ["Example Research Group"],
            "2019",
            "",
            "https://example.org/reports/school-education-2019",
        ),
        (
            "RPRT",
            "School-based education about sexual deepfakes",
            ["Example Research Group"],
            "2022",
            "",
            "",
        ),
        (
            "JOUR",
            "Survivor perspectives on support after image-based abuse",
            ["Sample, D."],
            "2021",
            "10.5555/HG-TEST.4",
            "",
        ),
        (
            "JOUR",
            "Moderator workload and synthetic imagery",
            ["Sample, Gus"],
            "2025",
            "10.5555/hg-test.6",
            "",
        ),
        (
            "JOUR",
            "Peer education about sharing images",
            ["Example, Hal"],
            "2022",
            "10.5555/hg-test.7",
            "",
        ),
    ],
}
SIDECAR = """\
{review}[search]
search = "{search}"
method = "keyword-search"
query = '{query}'
searched_in = "{place}"
place_kind = "bibliographic-database"
place_version = "{place} as of the search date"
search_date = "2026-11-01"
result_limit = {limit}
aimed_at = ["harm/synthetic-csam-of-unabused-children", "any-intervention"]
sought = "interventions"
"""
REVIEW = """\
[review]
review = "own-review-example"
review_title = "An example of a team's own rapid review (made-up records)"
review_type = "rapid-review"
date = "2026-11-02"
agent = "Example review team"
screeners = 1
harms = ["harm/synthetic-csam-of-unabused-children"]
finding = "A made-up example review for the tests: it claims nothing."

"""
PLACES = {
    "scopus": ("Scopus", 'TITLE-ABS-KEY("synthetic" AND "sexual" AND "intervention")', 20000),
    "wos": (
        "Web of Science Core Collection",
        'TS=("synthetic" AND "sexual" AND "intervention")',
        100000,
    ),
}
#: The title-and-abstract labels, by record (its id after the review's IRI): 1 relevant,
#: 0 irrelevant with (how the reason is given, the reason); records not named stay unlabelled.
#: ASReview LAB groups records with the same title (the preprint and its article; the two
#: reports of different years) and gives a label to the whole group: both get it.
TITLE_ABSTRACT = {
    "record-scopus-1": (1, None),
    "record-scopus-2": (1, None),
    "record-scopus-4": (0, ("note", "reason: off-topic")),
    "record-scopus-3": (0, ("tag", "no_ai_dimension")),
    "record-wos-6": (0, ("note", "Reason: operational detail")),
}
#: The full-text labels of the records found relevant.
FULL_TEXT = {
    "record-scopus-1": (1, None),
    "record-scopus-2": (0, ("note", "reason: no-outcome-data")),
}


def write_searches(folder: Path) -> None:
    """The searches' RIS files, written by rispy, and their sidecars."""
    for search, rows in SEARCHES.items():
        entries = []
        for kind, title, authors, year, doi, url in rows:
            entry = {"type_of_reference": kind, "title": title, "authors": authors, "year": year}
            if doi:
                entry["doi"] = doi
            if url:
                entry["urls"] = [url]
            entries.append(entry)
        (folder / f"{search}.ris").write_text(rispy.dumps(entries), encoding="utf-8")
        place, query, limit = PLACES[search]
        review = REVIEW if search == "scopus" else '[review]\nreview = "own-review-example"\n\n'
        (folder / f"{search}.ris.toml").write_text(
            SIDECAR.format(review=review, search=search, query=query, place=place, limit=limit),
            encoding="utf-8",
        )


def harmgraph(*args: str, cwd: Path) -> None:
    subprocess.run([*HARMGRAPH, *args], cwd=cwd, check=True, capture_output=True)


def screen(client, ris: Path, labels: dict, tmp: Path) -> dict[str, bytes]:  # noqa: ANN001
    """Make an ASReview LAB project from ``ris``, label it, train, and export CSV and RIS."""
    with ris.open("rb") as handle:
        made = client.post(
            "/api/projects/create",
            data={"mode": "oracle", "file": (handle, ris.name)},
            content_type="multipart/form-data",
        )
    assert made.status_code == 201, made.json
    project = made.json["id"]
    group = {
        "label": "Exclusion reason",
        "export": "reason",
        "values": [
            {"label": "Off topic", "export": "off_topic"},
            {"label": "No AI dimension", "export": "no_ai_dimension"},
        ],
    }
    answer = client.post(f"/api/projects/{project}/tags", data={"group": json.dumps(group)})
    assert answer.status_code == 200, answer.json
    tags = answer.json
    ids = {e["id"]: n for n, e in enumerate(rispy.loads(ris.read_text(encoding="utf-8")))}
    for record, (label, reason) in labels.items():
        number = ids[next(i for i in ids if i.endswith("#" + record))]
        checked = []
        if reason and reason[0] == "tag":
            checked = [
                {
                    **tags[0],
                    "values": [
                        {**v, "checked": v["export"] == reason[1]} for v in tags[0]["values"]
                    ],
                }
            ]
        answer = client.post(
            f"/api/projects/{project}/record/{number}",
            data={"record_id": number, "label": label, "tags": json.dumps(checked)},
        )
        assert answer.status_code == 200, answer.json
        if reason and reason[0] == "note":
            answer = client.put(
                f"/api/projects/{project}/record/{number}/note", data={"note": reason[1]}
            )
            assert answer.status_code == 200, answer.json
    # The LAB trains its model after labelling, and ranks the records not yet seen; only ranked
    # records are exported as not seen.
    answer = client.post(f"/api/projects/{project}/train")
    assert answer.status_code == 200, answer.json
    exports = {}
    for fmt in ("csv", "ris"):
        answer = client.get(
            f"/api/projects/{project}/export_dataset?format={fmt}"
            "&collections=relevant&collections=not_seen&collections=irrelevant"
            "&export_name=0&export_email=0"
        )
        assert answer.status_code == 200, answer.data[:200]
        exports[fmt] = answer.data
    return exports


def make(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    write_searches(folder)
    with tempfile.TemporaryDirectory() as scratch:
        tmp = Path(scratch)
        review = tmp / "review.ttl"
        for search in SEARCHES:
            harmgraph("import", str(folder / f"{search}.ris"), "--out", str(review), cwd=tmp)
        records = tmp / "records.ris"
        data = ["--data", str(kb()), "--data", str(review)]
        harmgraph(
            *data,
            "export",
            "--format",
            "ris",
            "--review",
            "own-review-example",
            "-o",
            str(records),
            cwd=tmp,
        )
        # ASReview LAB keeps its projects under ASREVIEW_PATH: a folder of this run's own.
        os.environ["ASREVIEW_PATH"] = str(tmp / "asreview")
        from asreview.webapp.app import create_app

        client = create_app(authentication=False, testing=True).test_client()
        first = screen(client, records, TITLE_ABSTRACT, tmp)
        (folder / "title-abstract.csv").write_bytes(first["csv"])
        (folder / "title-abstract.ris").write_bytes(first["ris"])
        relevant = [
            e
            for e in rispy.loads(records.read_text(encoding="utf-8"))
            if e["id"].rsplit("#", 1)[-1] in FULL_TEXT
        ]
        second_input = tmp / "relevant.ris"
        second_input.write_text(rispy.dumps(relevant), encoding="utf-8")
        second = screen(client, second_input, FULL_TEXT, tmp)
        (folder / "full-text.csv").write_bytes(second["csv"])
    expected = {
        "title-abstract": {k: [v[0], v[1][1] if v[1] else None] for k, v in TITLE_ABSTRACT.items()},
        "full-text": {k: [v[0], v[1][1] if v[1] else None] for k, v in FULL_TEXT.items()},
    }
    (folder / "expected.json").write_text(json.dumps(expected, indent=2) + "\n", encoding="utf-8")


def kb() -> Path:
    from harmgraph.rdf.load import kb_dir

    return kb_dir()


if __name__ == "__main__":
    make(Path(sys.argv[1]) if len(sys.argv) > 1 else FOLDER)
