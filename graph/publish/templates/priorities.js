// Ranks the gaps again when a weight changes: the score is the sum of weight x criterion, in
// the order harmgraph sums it, and ties break as harmgraph breaks them (kind, then subject
// label, then object), so the page and `harmgraph priorities` agree.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("priorities-data").textContent);
  var body = document.querySelector("#priorities tbody");
  var rows = {};
  Array.prototype.forEach.call(body.rows, function (tr) { rows[tr.dataset.index] = tr; });
  var inputs = Array.prototype.slice.call(document.querySelectorAll("[data-weight]"));

  function compare(a, b) {
    if (a.score !== b.score) return b.score - a.score;
    var keys = ["kind", "label", "object"];
    for (var i = 0; i < keys.length; i++) {
      if (a.row[keys[i]] < b.row[keys[i]]) return -1;
      if (a.row[keys[i]] > b.row[keys[i]]) return 1;
    }
    return 0;
  }

  function rank() {
    var weights = {};
    var bad = false;
    inputs.forEach(function (input) {
      var value = Number(input.value);
      if (input.value === "" || !isFinite(value) || value < 0) bad = true;
      weights[input.dataset.weight] = value;
    });
    var status = document.getElementById("w-status");
    if (bad || !data.names.some(function (n) { return weights[n] > 0; })) {
      status.textContent = "Each weight must be a number from 0 up, and at least one above 0.";
      return;
    }
    var scored = data.rows.map(function (row, index) {
      var score = 0;
      data.names.forEach(function (name) { score += weights[name] * row.raw[name]; });
      return { index: index, score: score, row: row };
    });
    scored.sort(compare);
    scored.forEach(function (item, position) {
      var tr = rows[item.index];
      tr.querySelector(".rank").textContent = String(position + 1);
      tr.querySelector(".score").textContent = String(Math.round(item.score * 10000) / 10000);
      body.appendChild(tr);
    });
    status.textContent = "Ranked with weights " + data.names.map(function (n) { return n + " " + weights[n]; }).join(", ") + ".";
  }

  inputs.forEach(function (input) { input.addEventListener("input", rank); });
  document.getElementById("w-reset").addEventListener("click", function () {
    inputs.forEach(function (input) { input.value = String(data.defaults[input.dataset.weight]); });
    rank();
  });
})();
