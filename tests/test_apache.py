"""The w3id redirects in a real Apache with mod_rewrite and mod_headers (issue 19).

One Apache, started by the test on a free port of 127.0.0.1 with a configuration written to a
temporary folder, serves a fresh ``harmgraph site --base-url http://127.0.0.1:PORT`` of the
bundled graph as another user (www-data, through the User directive, when the tests run as
root), with the site's ``w3id/.htaccess`` answering at ``/w3id/`` as w3id.org's
``harmgraph/`` folder would. For one IRI of each kind, and each Accept header (the four
cases, q-valued mixes, RDF/XML, N-Triples, none), the redirect is a 303 with ``Vary: Accept``
to the right file, and following it gives 200 with the right Content-Type, never another
redirect. A second site, served from the folder of its own redirects (the analogue of a base
URL inside the IRIs' namespace), shows that no rule sends a client round in a loop.

Where Debian's apache2 is not installed the tests are skipped; in CI (CI set) that is a
failure, as for the browser tests.
"""

from __future__ import annotations

import http.client
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import rdflib
from htaccess_model import accept_headers

from conftest import MINI, ROOT, stop

APACHE = shutil.which("apache2") or next(
    (p for p in ("/usr/sbin/apache2", "/usr/local/sbin/apache2") if Path(p).is_file()), None
)
MODULES = Path("/usr/lib/apache2/modules")
if not APACHE and os.environ.get("CI"):
    # In CI a missing web server is a broken set-up, not a reason to skip these tests.
    raise RuntimeError("CI is set but apache2 is not installed: .ci/run must install it")
pytestmark = [
    pytest.mark.skipif(
        not APACHE, reason="no apache2 (Debian's package apache2; .ci/run installs it)"
    ),
    # One test process runs this module, so its two sites and its server are made once.
    pytest.mark.xdist_group("apache"),
]

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
MEDIA = {
    "html": "text/html",
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "rdf": "application/rdf+xml",
    "nt": "application/n-triples",
}
RDF_FORMATS = {"ttl": "turtle", "jsonld": "json-ld", "rdf": "xml", "nt": "nt"}
#: The Accept cases: the four of the issue, q-valued mixes, the other two formats, a browser's
#: header, a client that accepts anything, and one that sends no header.
ACCEPT_CASES = [
    ("text/html", "html"),
    ("text/turtle", "ttl"),
    ("application/ld+json", "jsonld"),
    ("text/turtle;q=0.9, text/html;q=0.1", "ttl"),
    ("text/html;q=0.2, application/ld+json;q=0.8, text/turtle;q=0.7", "jsonld"),
    ("application/rdf+xml", "rdf"),
    ("application/n-triples", "nt"),
    ("application/n-triples;q=0.4, application/rdf+xml;q=0.5, */*;q=0.1", "rdf"),
    (BROWSER, "html"),
    ("*/*", "html"),
    (None, "html"),
]
ENTITY_KINDS = [
    "harm",
    "technology",
    "actor",
    "intervention",
    "source",
    "claim",
    "gap",
    "review",
    "agent",
    "scheme",
]


@dataclass(frozen=True)
class Server:
    port: int
    process: subprocess.Popen
    site: Path
    user: str | None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def get(self, path: str, accept: str | None) -> tuple[int, dict[str, str], bytes]:
        """One GET, redirects not followed: status, headers (names in lower case), body."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.putrequest("GET", path, skip_accept_encoding=True)
            if accept is not None:
                connection.putheader("Accept", accept)
            connection.endheaders()
            response = connection.getresponse()
            headers = {name.lower(): value for name, value in response.getheaders()}
            return response.status, headers, response.read()
        finally:
            connection.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _server_user() -> str | None:
    """The other user Apache serves as: only root can switch users."""
    if os.geteuid() != 0:
        return None
    for name in ("www-data", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    return None


def _harmgraph(*args: str) -> None:
    # umask 022, the usual one, whatever the developer's: the modes it gives are the point.
    done = subprocess.run(
        [sys.executable, "-m", "harmgraph", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        umask=0o022,
    )
    assert done.returncode == 0, done.stderr


def _config(web: Path, logs: Path, port: int, user: str | None) -> str:
    modules = ["mpm_event", "authz_core", "rewrite", "headers", "mime", "alias"]
    lines = [f"LoadModule {m}_module {MODULES}/mod_{m}.so" for m in modules]
    types = "/etc/mime.types" if Path("/etc/mime.types").is_file() else "/dev/null"
    if user:
        group = pwd.getpwnam(user).pw_gid
        lines += [f"User {user}", f"Group #{group}"]
    lines += [
        f"ServerRoot {logs}",
        f"Listen 127.0.0.1:{port}",
        "ServerName 127.0.0.1",
        f"PidFile {logs}/httpd.pid",
        f"DefaultRuntimeDir {logs}",
        f"ErrorLog {logs}/error.log",
        "LogLevel warn",
        f"TypesConfig {types}",
        *(f"AddType {media} .{ext}" for ext, media in MEDIA.items()),
        f"DocumentRoot {web}/site",
        f"Alias /loop/ {web}/loop/",
        # As on w3id.org: .htaccess files may hold rewrite rules, options and headers.
        f"<Directory {web}>",
        "    AllowOverride All",
        "    Require all granted",
        "    Options FollowSymLinks",
        "</Directory>",
    ]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Server:
    port = _free_port()
    # The site cannot live under pytest's own temporary folder: that is 0700, and the server's
    # user could not reach it. This folder is the test's, opened to others; the site inside is
    # harmgraph's, with the modes harmgraph gives it.
    web = Path(tempfile.mkdtemp(prefix="harmgraph-apache-"))
    web.chmod(0o755)
    logs = tmp_path_factory.mktemp("apache")
    process = None
    try:
        _harmgraph("site", "--out", str(web / "site"), "--base-url", f"http://127.0.0.1:{port}")
        loop = web / "loop"
        base = f"http://127.0.0.1:{port}/loop/"
        _harmgraph("--data", str(MINI), "site", "--out", str(loop), "--base-url", base)
        # This site is served from the folder of its own redirects: every target of a rule is
        # a path the same rules read next.
        shutil.copy(loop / "w3id" / ".htaccess", loop / ".htaccess")
        user = _server_user()
        (logs / "httpd.conf").write_text(_config(web, logs, port, user), encoding="utf-8")
        process = subprocess.Popen(
            [APACHE, "-f", str(logs / "httpd.conf"), "-DFOREGROUND"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise AssertionError(f"apache2 stopped: {process.stderr.read()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError("apache2 did not answer within 60 s") from None
                time.sleep(0.1)
        yield Server(port, process, web / "site", user)
    finally:
        if process is not None:
            stop(process)
        shutil.rmtree(web, ignore_errors=True)


def _sample(site: Path, kind: str) -> str:
    """One IRI path of ``kind`` that follows the slug rule: the first page of its folder."""
    names = sorted(p.stem for p in (site / "id" / kind).glob("*.html"))
    return f"id/{kind}/{next(n for n in names if not n.startswith('x_'))}"


def _check(server: Server, path: str, accept: str | None, target: str, ext: str) -> bytes:
    """A 303 with Vary: Accept from /w3id/<path> to <base><target>, which answers 200 with the
    media type of ``ext`` and is not itself a redirect; return the body."""
    status, headers, _ = server.get(f"/w3id/{path}", accept)
    assert status == 303, (path, accept, status)
    assert "accept" in [v.strip().lower() for v in headers.get("vary", "").split(",")], headers
    assert headers["location"] == server.base + target, (path, accept)
    status, headers, body = server.get(urlsplit(headers["location"]).path, accept)
    assert status == 200, (path, accept, target, status)
    assert headers["content-type"].split(";")[0].strip() == MEDIA[ext], (target, headers)
    return body


@pytest.mark.parametrize("kind", ENTITY_KINDS)
def test_an_iri_of_each_kind_answers_every_accept_case(server, kind):
    path = _sample(server.site, kind)
    iri = rdflib.URIRef(f"https://w3id.org/harmgraph/{path}")
    for accept, ext in ACCEPT_CASES:
        body = _check(server, path, accept, f"{path}.{ext}", ext)
        if ext == "html":
            assert b'<html lang="en">' in body and b"<h1>" in body
        else:
            graph = rdflib.Graph().parse(data=body, format=RDF_FORMATS[ext])
            assert (iri, None, None) in graph, (path, ext)


@pytest.mark.parametrize(
    ("path", "page", "data", "subject"),
    [
        ("ontology", "ontology/reference.html", "ontology/harmgraph", "ontology"),
        ("ontology/", "ontology/reference.html", "ontology/harmgraph", "ontology"),
        ("ontology/0.2.0", "ontology/reference.html", "ontology/harmgraph", "ontology"),
        ("shapes", "ontology/shapes.html", "ontology/shapes", "shapes#HarmShape"),
    ],
)
def test_the_ontology_and_the_shapes_answer_every_accept_case(server, path, page, data, subject):
    """The shapes asked for as JSON-LD come back as JSON-LD; `ontology/` resolves."""
    from harmgraph.publish.ontology_docs import ontology_header

    path = path.replace("0.2.0", ontology_header()["version"])
    iri = rdflib.URIRef(f"https://w3id.org/harmgraph/{subject}")
    for accept, ext in ACCEPT_CASES:
        target = page if ext == "html" else f"{data}.{ext}"
        body = _check(server, path, accept, target, ext)
        if ext != "html":
            graph = rdflib.Graph().parse(data=body, format=RDF_FORMATS[ext])
            assert (iri, None, None) in graph, (path, ext)


def test_every_ontology_term_lands_on_its_section_of_the_page_apache_serves(server):
    """`https://w3id.org/harmgraph/ontology#ModerateConfidence`: the client asks for the
    ontology, is sent to the reference page, and looks for the term's id on it."""
    body = _check(server, "ontology", "text/html", "ontology/reference.html", "html")
    ids = set(re.findall(r'\bid="([^"]+)"', body.decode("utf-8")))
    onto = rdflib.Graph().parse(ROOT / "ontology" / "harmgraph.ttl")
    namespace = "https://w3id.org/harmgraph/ontology#"
    terms = {
        str(t)[len(namespace) :]
        for t in onto.all_nodes()
        if isinstance(t, rdflib.URIRef) and str(t).startswith(namespace)
    }
    assert "ModerateConfidence" in terms and len(terms) > 90
    assert sorted(terms - ids) == []


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("", "index.html"),
        ("id/harm", "id/harm.html"),
        ("id/harm/", "id/harm.html"),
        ("id/scheme/", "id/scheme.html"),
        ("id/agent/", "id/agent.html"),
    ],
)
def test_the_lists_and_the_home_page_resolve(server, path, target):
    for accept in ("text/html", None, "text/turtle"):
        _check(server, path, accept, target, "html")


def test_apache_chooses_as_negotiate_does(server):
    """Made-up headers with every kind of range, q-value, parameter, case and spacing (and
    malformed q-values): the real mod_rewrite chooses what negotiate() chooses."""
    from harmgraph.publish.w3id import negotiate

    path = _sample(server.site, "harm")
    for accept in accept_headers(150, seed=7):
        status, headers, _ = server.get(f"/w3id/{path}", accept)
        assert status == 303
        assert headers["location"] == f"{server.base}{path}.{negotiate(accept)}", accept


def test_a_site_served_from_the_folder_of_its_redirects_never_loops(server):
    """Regression: every rule could send a client back into the rules (in Apache,
    normalisation.html.html.html...). Each rule's target ends in an extension that no
    pattern takes, so the second answer is the file."""
    for path in ("id/harm/facet-a", "id/agent/tester", "id/scheme/harm", "ontology", "shapes"):
        for accept, ext in ACCEPT_CASES:
            status, headers, _ = server.get(f"/loop/{path}", accept)
            assert status == 303, (path, accept)
            assert headers["location"].endswith(f".{ext}"), (path, accept)
            status, headers, _ = server.get(urlsplit(headers["location"]).path, accept)
            assert status == 200, (path, accept, status, headers.get("location"))


def test_the_server_runs_as_another_user_and_reads_the_site(server):
    """The site is written by this process's user and served by the server's own, through
    the modes harmgraph gives its files (0644) and folders (0755)."""
    if server.user is None:
        pytest.skip("only root can start Apache as another user")
    children = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line
            )
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(server.process.pid):
            children.append(int(fields["Uid"].split()[0]))
    assert children, "the server has worker processes"
    assert set(children) == {pwd.getpwnam(server.user).pw_uid}
    assert server.site.stat().st_uid != pwd.getpwnam(server.user).pw_uid
    status, _, _ = server.get("/id/harm/normalisation.ttl", None)
    assert status == 200
