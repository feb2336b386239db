// The evidence-gap map: counts the claims per cell for the chosen view and filters.
// Everything that needs the graph's logic (roll-up, filter values, reviews) was worked out
// when the file was written; this script only counts and draws. Data is written with
// textContent and links only take addresses the writer checked, so no label becomes HTML.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("map-data").textContent);
  var ROWS = { "intervention": "interventions", "intervention-type": "intervention types", "stage": "lifecycle stages" };
  var COLS = { "harm": "harms", "harm-facet": "harm facets" };
  var FILTERS = ["actor", "stage", "prevention-level", "evidence-kind", "jurisdiction"];
  var byId = function (id) { return document.getElementById(id); };

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    return node;
  }

  function link(text, href) {
    // href comes from the writer: a checked http(s) address or a relative page path.
    return href ? el("a", text, { href: href }) : el("span", text);
  }

  function fill(select, values, chosen) {
    values.forEach(function (pair) {
      var option = el("option", pair[1], { value: pair[0] });
      if (pair[0] === chosen) option.selected = true;
      select.appendChild(option);
    });
  }

  function readHash() {
    var state = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (part) {
      var pair = part.split("=");
      if (pair.length === 2) state[decodeURIComponent(pair[0])] = decodeURIComponent(pair[1]);
    });
    return state;
  }

  var start = Object.assign({ rows: data.start.rows, cols: data.start.cols }, data.start.filters, readHash());
  fill(byId("rows"), Object.keys(ROWS).map(function (k) { return [k, ROWS[k]]; }), start.rows);
  fill(byId("cols"), Object.keys(COLS).map(function (k) { return [k, COLS[k]]; }), start.cols);
  FILTERS.forEach(function (key) {
    fill(byId("f-" + key), [["", "any"]].concat(data.options[key]), start[key] || "");
  });
  var years = data.options.year.map(function (pair) { return Number(pair[0]); });
  var span = (start.year || "").split("-");
  var yearPairs = data.options.year;
  fill(byId("f-year-from"), yearPairs, span[0] || (years.length ? String(years[0]) : ""));
  fill(byId("f-year-to"), yearPairs, span[1] || span[0] || (years.length ? String(years[years.length - 1]) : ""));

  function current() {
    var state = { rows: byId("rows").value, cols: byId("cols").value, filters: {} };
    FILTERS.forEach(function (key) {
      var value = byId("f-" + key).value;
      if (value) state.filters[key] = value;
    });
    if (years.length) {
      var low = Number(byId("f-year-from").value), high = Number(byId("f-year-to").value);
      if (low !== years[0] || high !== years[years.length - 1]) state.filters.year = [low, high];
    }
    return state;
  }

  function passes(claim, filters) {
    var simple = ["stage", "prevention-level", "evidence-kind"];
    for (var i = 0; i < simple.length; i++) {
      if (filters[simple[i]] && claim[simple[i]] !== filters[simple[i]]) return false;
    }
    if (filters.actor && claim.actor.indexOf(filters.actor) < 0) return false;
    if (filters.jurisdiction && claim.jurisdiction.indexOf(filters.jurisdiction) < 0) return false;
    if (filters.year) {
      var low = filters.year[0], high = filters.year[1];
      if (!claim.year.some(function (y) { return y >= low && y <= high; })) return false;
    }
    return true;
  }

  function count(state) {
    var cells = new Map();
    data.claims.forEach(function (claim) {
      if (!passes(claim, state.filters)) return;
      claim.rows[state.rows].forEach(function (row) {
        claim.cols[state.cols].forEach(function (col) {
          var key = row + "\t" + col;
          var cell = cells.get(key);
          if (!cell) {
            cell = { claims: [], sources: new Set(), strongest: 0, Supports: 0, Mixed: 0, Disputes: 0,
                     rolled: 0, backingStrongest: 0, backingSources: new Set() };
            cells.set(key, cell);
          }
          cell.claims.push(claim);
          claim.sources.forEach(function (s) { cell.sources.add(s); });
          cell.strongest = Math.max(cell.strongest, claim.confidence);
          cell[claim.direction] = (cell[claim.direction] || 0) + 1;
          if (claim.direction !== "Disputes") {
            cell.backingStrongest = Math.max(cell.backingStrongest, claim.confidence);
            claim.sources.forEach(function (s) { cell.backingSources.add(s); });
          }
          if (col !== claim.object) cell.rolled += 1;
        });
      });
    });
    return cells;
  }

  // An empty cell's status comes from the data (worked out by harmgraph's own grid):
  // addressed-broader, no-evidence (x), searched-broader or not-reviewed (?); a cell with
  // claims that the filters leave empty is no-match.
  function status(cell, empty) {
    if (!cell) return empty[0] === "filled" ? "no-match" : empty[0];
    if (!cell.backingSources.size) return "disputed";
    if (cell.backingStrongest <= 1 || cell.backingSources.size === 1) return "weak";
    return "evidence";
  }

  var NAMES = { 3: "high", 2: "moderate", 1: "low", 0: "none" };

  var EMPTY_WORDS = {
    "no-match": "no claim matches the filters",
    "addressed-broader": "no claim here; addressed at the broader level",
    "no-evidence": "a search aimed at this cell found nothing (an evidence gap)",
    "searched-broader": "no claim; searched only through something broader",
    "not-reviewed": "no search aimed at it yet (a coverage gap)"
  };

  function describe(cell, empty, rowLabel, colLabel) {
    var where = rowLabel + " × " + colLabel + ": ";
    if (!cell) return where + EMPTY_WORDS[status(cell, empty)];
    return where + cell.sources.size + " source(s), " + cell.claims.length + " claim(s), strongest confidence " +
      NAMES[cell.strongest] + "; " + cell.Supports + " supporting, " + cell.Mixed + " mixed, " + cell.Disputes +
      " disputing; " + (empty[1].length ? "searched by " + empty[1].length + " review(s)" : "no search aimed at it");
  }

  var EMPTY_MARKS = {
    "no-match": ["–", "empty-filtered"],
    "addressed-broader": ["↑", "empty-broader"],
    "no-evidence": ["×", "empty-reviewed"],
    "searched-broader": ["·", "empty-searched-broader"],
    "not-reviewed": ["?", "empty-unreviewed"]
  };

  function mark(cell, empty) {
    if (!cell) {
      var m = EMPTY_MARKS[status(cell, empty)];
      return el("span", m[0], { "class": "mark " + m[1], "aria-hidden": "true" });
    }
    var size = Math.min(12 + 5 * Math.sqrt(cell.sources.size), 42);
    var classes = "mark conf-" + NAMES[cell.strongest] + (cell.Disputes ? " ring" : "");
    var node = el("span", null, { "class": classes, "aria-hidden": "true" });
    node.style.width = size + "px";
    node.style.height = size + "px";
    node.appendChild(el("span", cell.sources.size));
    return node;
  }

  function draw() {
    var state = current();
    var key = state.rows + "|" + state.cols;
    var rows = data.rows[state.rows], cols = data.cols[state.cols];
    var grid = byId("grid");
    grid.textContent = "";
    var hash = ["rows=" + state.rows, "cols=" + state.cols];
    Object.keys(state.filters).forEach(function (k) {
      var v = state.filters[k];
      hash.push(encodeURIComponent(k) + "=" + encodeURIComponent(Array.isArray(v) ? v.join("-") : v));
    });
    if (history.replaceState) history.replaceState(null, "", "#" + hash.join("&"));
    if (rows.length * cols.length > data.cap || !(key in data.reviewed)) {
      byId("status").textContent = "This view would have " + (rows.length * cols.length) + " cells, more than the " +
        data.cap + " that can be drawn: choose intervention types or stages as rows, or harm facets as columns.";
      return;
    }
    var cells = count(state);
    var reviewed = data.reviewed[key];
    var table = el("table", null, { "class": "map", id: "map" });
    table.appendChild(el("caption", ROWS[state.rows] + " (rows) by " + COLS[state.cols] + " (columns)"));
    var thead = el("thead");
    // Harms come grouped under their facet (the facet's own column first): a header row names
    // each facet over its columns, and a rule marks where each group starts.
    var groups = data.groups[state.cols] || [];
    var starts = {}, facets = {};
    if (groups.length) {
      var groupRow = el("tr", null, { "class": "groups" });
      groupRow.appendChild(el("td"));
      var at = 0;
      groups.forEach(function (group) {
        starts[at] = true;
        facets[group[0]] = true;
        var th = el("th", null, { scope: "colgroup", colspan: group[2], "class": "group" });
        th.appendChild(el("span", group[1]));
        groupRow.appendChild(th);
        at += group[2];
      });
      thead.appendChild(groupRow);
    }
    var head = el("tr");
    head.appendChild(el("td"));
    cols.forEach(function (col, c) {
      var th = el("th", null, { scope: "col" });
      if (starts[c]) th.classList.add("group-start");
      if (facets[col[0]]) th.classList.add("facet");
      th.appendChild(el("span", col[1]));
      head.appendChild(th);
    });
    thead.appendChild(head);
    table.appendChild(thead);
    var body = el("tbody");
    var filled = 0;
    rows.forEach(function (row, r) {
      var tr = el("tr");
      tr.appendChild(el("th", row[1], { scope: "row" }));
      cols.forEach(function (col, c) {
        var cellKey = row[0] + "\t" + col[0];
        var cell = cells.get(cellKey);
        var empty = reviewed[cellKey] || ["not-reviewed", [], "", []];
        var reviews = empty[1];
        if (cell) filled += 1;
        var button = el("button", null, {
          type: "button", "class": "cell", tabindex: r === 0 && c === 0 ? "0" : "-1", "aria-pressed": "false",
          "aria-label": describe(cell, empty, row[1], col[1]),
          "data-r": r, "data-c": c, "data-row": row[0], "data-col": col[0],
          "data-status": status(cell, empty),
          "data-claims": cell ? cell.claims.length : 0, "data-sources": cell ? cell.sources.size : 0,
          "data-strongest": NAMES[cell ? cell.strongest : 0],
          "data-supports": cell ? cell.Supports : 0, "data-mixed": cell ? cell.Mixed : 0,
          "data-disputes": cell ? cell.Disputes : 0, "data-rolled": cell ? cell.rolled : 0,
          "data-reviews": reviews.length
        });
        button.appendChild(mark(cell, empty));
        var gaps = (data.gaps[key] || {})[cellKey] || [];
        button.addEventListener("click", function () { show(button, cell, empty, gaps, row[1], col[1]); });
        var td = el("td", null, starts[c] ? { "class": "group-start" } : {});
        td.appendChild(button);
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    table.appendChild(body);
    grid.appendChild(table);
    byId("status").textContent = rows.length + " rows, " + cols.length + " columns; " + filled +
      " cells with evidence, " + (rows.length * cols.length - filled) + " empty.";
  }

  function reviewItem(index) {
    // A review once, as a link, with its strength; its queries are on its own page.
    var review = data.reviews[index];
    var li = el("li");
    li.appendChild(link(review.label, review.href));
    if (review.strength) li.appendChild(el("span", ": " + review.strength, { "class": "strength" }));
    return li;
  }

  function show(button, cell, empty, gaps, rowLabel, colLabel) {
    var reviews = empty[1];
    document.querySelectorAll("button.cell[aria-pressed=true]").forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
    button.setAttribute("aria-pressed", "true");
    var box = byId("details-body");
    box.textContent = "";
    byId("details-heading").textContent = rowLabel + " × " + colLabel;
    box.appendChild(el("p", describe(cell, empty, rowLabel, colLabel)));
    if (gaps.length) {
      // The gaps harmgraph lists for this cell, each kind in plain words, never as a code.
      box.appendChild(el("h3", "Gaps in this cell"));
      var gapList = el("ul", null, { id: "cell-gaps" });
      gaps.forEach(function (kind) {
        var words = data.meanings[kind];
        gapList.appendChild(el("li", words.charAt(0).toUpperCase() + words.slice(1), { "data-kind": kind }));
      });
      box.appendChild(gapList);
    }
    if (!cell && empty[2]) box.appendChild(el("p", empty[2], { id: "cell-note" }));
    if (cell) {
      box.appendChild(el("h3", "Claims, strongest first"));
      var claims = el("ul", null, { id: "cell-claims" });
      var order = [];
      cell.claims.forEach(function (claim) {
        var li = el("li", null, { "data-strength": claim.strength.join(",") });
        li.appendChild(link(claim.text, claim.href));
        var titles = claim.sources.map(function (s) {
          var source = data.sources[s];
          return source.title + (source.year ? " (" + source.year + ")" : "");
        });
        li.appendChild(document.createTextNode(" (" + claim.confidence_name + " confidence, " +
          claim.kind_label.toLowerCase() + ", " + claim.direction.toLowerCase() + "; " +
          titles.join("; ") + ")"));
        claims.appendChild(li);
        claim.sources.forEach(function (s) { if (order.indexOf(s) < 0) order.push(s); });
      });
      box.appendChild(claims);
      box.appendChild(el("h3", "Sources, in the order of the claims"));
      var sources = el("ul", null, { id: "cell-sources" });
      order.forEach(function (iri) {
        var source = data.sources[iri];
        var li = el("li");
        li.appendChild(link(source.title + (source.year ? " (" + source.year + ")" : ""), source.href));
        if (source.link) {
          li.appendChild(document.createTextNode(" · "));
          li.appendChild(el("a", "publisher's page", { href: source.link, rel: "noopener noreferrer" }));
        }
        sources.appendChild(li);
      });
      box.appendChild(sources);
    }
    box.appendChild(el("h3", "Reviews with a search aimed at this cell (or at something broader)"));
    if (reviews.length) {
      var list = el("ul", null, { id: "cell-reviews" });
      reviews.forEach(function (index) { list.appendChild(reviewItem(index)); });
      box.appendChild(list);
    } else {
      box.appendChild(el("p", "None yet: no search was aimed at this cell or at anything broader. This is a gap in the graph's reading, not a known gap in the evidence."));
    }
    if (empty[3] && empty[3].length) {
      box.appendChild(el("h3", "Reviews that list this harm, with no search aimed at this cell"));
      var listing = el("ul", null, { id: "cell-listed" });
      empty[3].forEach(function (index) { listing.appendChild(reviewItem(index)); });
      box.appendChild(listing);
    }
  }

  // Arrow keys move between cells (one cell is in the tab order at a time); Enter or Space
  // opens the cell, as buttons do.
  byId("grid").addEventListener("keydown", function (event) {
    var button = event.target.closest ? event.target.closest("button.cell") : null;
    if (!button) return;
    var moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    var move = moves[event.key];
    if (!move) return;
    var next = document.querySelector('button.cell[data-r="' + (Number(button.dataset.r) + move[0]) +
      '"][data-c="' + (Number(button.dataset.c) + move[1]) + '"]');
    if (next) {
      event.preventDefault();
      button.setAttribute("tabindex", "-1");
      next.setAttribute("tabindex", "0");
      next.focus();
    }
  });

  byId("controls").addEventListener("change", draw);
  byId("reset").addEventListener("click", function () {
    FILTERS.forEach(function (key) { byId("f-" + key).value = ""; });
    if (years.length) {
      byId("f-year-from").value = String(years[0]);
      byId("f-year-to").value = String(years[years.length - 1]);
    }
    draw();
  });
  draw();
})();
