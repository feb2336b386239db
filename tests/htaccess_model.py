"""A model of the part of Apache's mod_rewrite that harmgraph's w3id ``.htaccess`` uses, in
per-directory context, so the rules can be read without a web server (tests/test_apache.py
holds them to a real Apache as well).

It knows ``RewriteCond`` with a test string of ``%{HTTP:Accept}``, ``%{HTTP_ACCEPT}`` or
``%{ENV:NAME}`` against a regular expression (``[NC]``), ``=string`` or ``!regex``, and
``RewriteCond expr "reqenv('A') > reqenv('B')"``; ``RewriteRule`` with ``-`` or a target, the
flags ``E=NAME:VALUE``, ``R=303``, ``L``, ``NE`` and ``NC``, ``$N`` from the rule's pattern and
``%N`` from the last condition that matched. Any other directive it does not skip (comments,
``Options``, ``RewriteEngine``, ``Header`` and ``<IfModule>``) fails the test that reads it.
"""

from __future__ import annotations

import re

_SKIPPED = ("#", "<", "Options ", "RewriteEngine ", "Header ")
_EXPR = re.compile(r"reqenv\('(\w+)'\) > reqenv\('(\w+)'\)")


def _expand(
    text: str, rule: re.Match | None, groups: tuple[str, ...], env: dict, accept: str
) -> str:
    def variable(match: re.Match) -> str:
        name = match.group(1)
        if name in ("HTTP:Accept", "HTTP_ACCEPT"):
            return accept
        if name.startswith("ENV:"):
            return env.get(name[4:], "")
        raise AssertionError(f"the model does not know %{{{name}}}")

    def dollar(match: re.Match) -> str:
        return (rule.group(int(match.group(1))) or "") if rule else ""

    def percent(match: re.Match) -> str:
        index = int(match.group(1))
        return groups[index - 1] if 0 < index <= len(groups) else ""

    text = re.sub(r"\$(\d)", dollar, text)
    text = re.sub(r"%(\d)", percent, text)
    return re.sub(r"%\{([^}]+)\}", variable, text)


def _condition(line: str, env: dict, accept: str) -> tuple[bool, tuple[str, ...] | None]:
    """Whether a condition holds, and the groups of its regular expression (None when it has
    none, so the groups of an earlier condition stay)."""
    if line.startswith("RewriteCond expr "):
        match = _EXPR.fullmatch(line.removeprefix("RewriteCond expr ").strip('"'))
        assert match, f"the model does not know the expression in {line!r}"
        return env.get(match.group(1), "") > env.get(match.group(2), ""), None
    # Backslashes are part of the patterns, not escapes: split on spaces only.
    _, test, pattern, *rest = line.split(" ")
    test = _expand(test, None, (), env, accept)
    flags = rest[0] if rest else ""
    if pattern.startswith("="):
        return test == pattern[1:], None
    negate = pattern.startswith("!")
    found = re.search(pattern.lstrip("!"), test, re.IGNORECASE if "NC" in flags else 0)
    if negate:
        return found is None, None
    return found is not None, tuple(g or "" for g in found.groups()) if found else None


def redirect(htaccess: str, path: str, accept: str | None) -> str | None:
    """Where the rules send ``path`` (relative to the folder, no leading slash) for a request
    with this ``Accept`` header (None: no header): the target of the first rule with ``R``
    that applies, or None when none does."""
    accept = accept or ""
    env: dict[str, str] = {}
    conditions: list[str] = []
    for raw in htaccess.splitlines():
        line = raw.strip()
        if not line or line.startswith(_SKIPPED):
            continue
        if line.startswith("RewriteCond "):
            conditions.append(line)
            continue
        assert line.startswith("RewriteRule "), f"the model does not know {line!r}"
        # Backslashes are part of the patterns, not escapes: split on spaces only.
        _, pattern, target, *rest = line.split(" ")
        flags = rest[0].strip("[]").split(",") if rest else []
        rule = re.search(pattern, path, re.IGNORECASE if "NC" in flags else 0)
        pending, conditions = conditions, []
        if rule is None:
            continue
        groups: tuple[str, ...] = ()
        applies = True
        for condition in pending:
            matched, found = _condition(condition, env, accept)
            if not matched:
                applies = False
                break
            if found is not None:
                groups = found
        if not applies:
            continue
        for flag in flags:
            if flag.startswith("E="):
                name, _, value = flag[2:].partition(":")
                env[name] = _expand(value, rule, groups, env, accept)
        if target != "-" and any(f.startswith("R") for f in flags):
            assert "R=303" in flags and "L" in flags, line
            return _expand(target, rule, groups, env, accept)
        if "L" in flags:
            return None
    return None


#: Media ranges for made-up Accept headers: those served, their wildcards, and some others.
RANGES = (
    "text/html",
    "text/turtle",
    "application/ld+json",
    "application/rdf+xml",
    "application/n-triples",
    "text/*",
    "application/*",
    "*/*",
    "application/xhtml+xml",
    "application/xml",
    "application/json",
    "text/plain",
    "image/png",
)
QVALUES = ("0", "0.", "0.05", "0.1", "0.25", "0.5", "0.8", "0.9", "0.999", "1", "1.0", "1.000")
#: Malformed q-values: a range carrying one is ignored by the rules and by negotiate().
BAD_QVALUES = ("1.5", "0.1234", "x", "", "2")


def accept_headers(count: int, seed: int) -> list[str]:
    """``count`` made-up Accept headers (seeded, so every run asks the same): one to five
    distinct ranges, each maybe with other parameters, a q-value, odd case and spaces."""
    import random

    chance = random.Random(seed)
    headers = []
    for _ in range(count):
        parts = []
        for media in chance.sample(RANGES, chance.randint(1, 5)):
            text = media.upper() if chance.random() < 0.1 else media
            if chance.random() < 0.2:
                text += chance.choice((";level=1", ";charset=utf-8", ' ; profile="a b"', ";qs=1"))
            if chance.random() < 0.7:
                value = chance.choice(BAD_QVALUES if chance.random() < 0.1 else QVALUES)
                text += chance.choice((";", " ; ", ";\t")) + chance.choice(("q", "Q")) + "=" + value
            parts.append(text)
        headers.append(chance.choice((",", ", ", " , ")).join(parts))
    return headers
