// Search over the labels in search-index.js, in the browser: each entry is [page, kind, label,
// alternative labels], and a word may match either, so "sextortion" finds "sexual extortion".
// Results are built as DOM nodes with textContent, so a label is always shown as text.
(function () {
  "use strict";
  var index = window.HARMGRAPH_INDEX || [];
  var box = document.getElementById("search");
  var list = document.getElementById("search-results");
  var count = document.getElementById("search-count");
  var texts = index.map(function (e) {
    return [e[2]].concat(e[3] || []).join("\n").toLowerCase();
  });
  function show() {
    var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    list.replaceChildren();
    if (!words.length) { count.textContent = ""; return; }
    var found = index.filter(function (e, i) {
      return words.every(function (w) { return texts[i].indexOf(w) !== -1; });
    });
    count.textContent = found.length + " match(es)" + (found.length > 200 ? ", the first 200 shown" : "");
    found.slice(0, 200).forEach(function (e) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = e[0];
      link.textContent = e[2];
      item.appendChild(link);
      var label = e[2].toLowerCase();
      var alt = (e[3] || []).filter(function (a) {
        return words.some(function (w) { return label.indexOf(w) === -1 && a.toLowerCase().indexOf(w) !== -1; });
      });
      item.appendChild(document.createTextNode(" (" + e[1] + (alt.length ? "; also called " + alt.join(", ") : "") + ")"));
      list.appendChild(item);
    });
  }
  box.addEventListener("input", show);
})();
