/* Palmarès search: a classic script, no fetch, no module, so it works from file://. */
(function () {
  "use strict";
  var docs = window.PALMARES_INDEX || [];
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  if (!input || !status || !list) return;
  var root = "../";

  function fold(text) {
    return text
      .replace(/œ/g, "oe").replace(/Œ/g, "oe").replace(/æ/g, "ae").replace(/Æ/g, "ae")
      .normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
      .toLowerCase().replace(/[^0-9a-z]+/g, " ").trim();
  }

  function search(query) {
    var terms = fold(query).split(" ").filter(Boolean);
    if (!terms.length) return [];
    var exact = fold(query);
    var hits = [];
    for (var i = 0; i < docs.length; i++) {
      var hay = " " + docs[i][4];
      var ok = true;
      for (var t = 0; t < terms.length; t++) {
        if (hay.indexOf(" " + terms[t]) < 0) { ok = false; break; }
      }
      if (ok) hits.push({ doc: docs[i], exact: fold(docs[i][1]) === exact ? 0 : 1 });
    }
    hits.sort(function (a, b) { return a.exact - b.exact; });
    return hits.slice(0, 50);
  }

  function show() {
    var hits = search(input.value);
    list.textContent = "";
    hits.forEach(function (hit) {
      var li = document.createElement("li");
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = hit.doc[0];
      var a = document.createElement("a");
      a.href = root + hit.doc[3];
      a.textContent = hit.doc[1];
      var detail = document.createElement("span");
      detail.className = "meta";
      detail.textContent = hit.doc[2];
      li.appendChild(kind); li.appendChild(document.createTextNode(" "));
      li.appendChild(a); li.appendChild(document.createTextNode(" "));
      li.appendChild(detail);
      list.appendChild(li);
    });
    if (!input.value.trim()) status.textContent = "";
    else status.textContent = hits.length ? hits.length + (hits.length > 1 ? " résultats" : " résultat") : "Aucun résultat";
  }

  var params = new URLSearchParams(window.location.search);
  if (params.get("q")) input.value = params.get("q");
  input.addEventListener("input", show);
  input.form.addEventListener("submit", function (e) { e.preventDefault(); show(); });
  show();
})();
