// Search over the labels in search-index.js, in the browser. Results are built as DOM
// nodes with textContent, so a label is always shown as text.
(function () {
  "use strict";
  var index = window.HARMGRAPH_INDEX || [];
  var box = document.getElementById("search");
  var list = document.getElementById("search-results");
  var count = document.getElementById("search-count");
  function show() {
    var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    list.replaceChildren();
    if (!words.length) { count.textContent = ""; return; }
    var found = index.filter(function (e) {
      var label = e[2].toLowerCase();
      return words.every(function (w) { return label.indexOf(w) !== -1; });
    });
    count.textContent = found.length + " match(es)" + (found.length > 200 ? ", the first 200 shown" : "");
    found.slice(0, 200).forEach(function (e) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = e[0];
      link.textContent = e[2];
      item.appendChild(link);
      item.appendChild(document.createTextNode(" (" + e[1] + ")"));
      list.appendChild(item);
    });
  }
  box.addEventListener("input", show);
})();
