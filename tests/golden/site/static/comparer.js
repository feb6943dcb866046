/* Palmarès: the comparison page. Classic script only (no fetch, no module), so it works from
   file:// on a USB key as on the web.

   The data (comparer/collectivites.js, written by palmares/site/compare.py) is assigned to
   window.PalmaresIndex.comparer: every collectivité's code, name, département, page and
   labels (year index × 6 + number of @). The reader picks two to four collectivités by
   name; their histories are drawn as an SVG chart (one line per collectivité, each with
   its own dash pattern and marker shape, not colour alone) and written as a table. The
   chosen codes are kept in the address (?c=code,code), so a comparison can be shared. */
(function () {
  "use strict";

  var page = document.getElementById("comparer");
  var data = window.PalmaresIndex && window.PalmaresIndex.comparer;
  if (!page || !data) return;

  var texts = JSON.parse(page.getAttribute("data-texts"));
  var communes = data.communes;
  var years = data.years;
  var depts = data.departements;
  var MAX = 4;
  var SHOWN = 8;
  var SVG = "http://www.w3.org/2000/svg";

  var input = document.getElementById("comparer-q");
  var form = document.getElementById("comparer-form");
  var status = document.getElementById("comparer-status");
  var suggestions = document.getElementById("comparer-suggestions");
  var chosenList = document.getElementById("comparer-choix");
  var empty = document.getElementById("comparer-vide");
  var share = document.getElementById("comparer-lien");
  var output = document.getElementById("comparer-sortie");
  var one = document.getElementById("comparer-un");
  var caption = document.getElementById("comparer-titre");
  var drawing = document.getElementById("comparer-dessin");
  var legend = document.getElementById("comparer-legende");
  var table = document.getElementById("comparer-table");

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, name) { return values[name]; });
  }

  function plural(pair, n) {
    return fill(pair[n < 2 ? 0 : 1], { n: n.toLocaleString("fr-FR") });
  }

  // --- folding: accents, case and punctuation do not matter; "st" is "saint" ------------

  var LETTERS = { "œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "đ": "d", "ł": "l" };
  var SHORT = { st: "saint", ste: "sainte" };

  function words(text) {
    var found = text
      .toLowerCase()
      .replace(/[œæßøđł]/g, function (c) { return LETTERS[c]; })
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .split(/[^0-9a-z]+/)
      .filter(Boolean);
    return found.map(function (w) { return SHORT.hasOwnProperty(w) ? SHORT[w] : w; });
  }

  var folded = null; // each name's words, made at the first keystroke

  /* Every typed word begins a word of the name (or the code): "st mar" finds
     Saint-Martin-…; names that begin with the first typed word come first, then the
     others, each group in the data's (French alphabetical) order. */
  function find(query) {
    var typed = words(query);
    if (!typed.length) return [];
    if (!folded) folded = communes.name.map(words);
    var first = [], others = [];
    for (var i = 0; i < folded.length; i++) {
      var name = folded[i];
      var all = typed.every(function (t) {
        return communes.code[i].indexOf(t) === 0 || name.some(function (w) { return w.indexOf(t) === 0; });
      });
      if (!all) continue;
      (name.length && name[0].indexOf(typed[0]) === 0 ? first : others).push(i);
    }
    return first.concat(others);
  }

  // --- the chosen collectivités, kept in the address ---------------------------------------

  var byCode = {};
  communes.code.forEach(function (code, i) { byCode[code] = i; });
  var chosen = [];

  function fromAddress() {
    var match = /[?&]c=([^&#]*)/.exec(window.location.search);
    if (!match) return;
    decodeURIComponent(match[1]).split(",").forEach(function (code) {
      var i = byCode[code];
      if (i !== undefined && chosen.indexOf(i) < 0 && chosen.length < MAX) chosen.push(i);
    });
  }

  function query() {
    return chosen.length ? "?c=" + chosen.map(function (i) { return communes.code[i]; }).join(",") : "";
  }

  function remember() {
    var q = query();
    share.hidden = chosen.length === 0;
    share.firstElementChild.setAttribute("href", "index.html" + q);
    try {
      window.history.replaceState(null, "", window.location.pathname + q + window.location.hash);
    } catch (err) {
      // Some browsers refuse it from file://: the link above keeps the comparison.
    }
  }

  function url(i) {
    return communes.url.prefix + communes.url.middles[i] + communes.url.suffix;
  }

  function place(i) {
    var d = communes.departement[i];
    return depts.name[d] + " (" + depts.code[d] + ")";
  }

  function el(name, attrs, text) {
    var node = document.createElement(name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function hidden(text) {
    return el("span", { "class": "visually-hidden" }, text);
  }

  function add(i) {
    if (chosen.indexOf(i) >= 0) return;
    if (chosen.length >= MAX) {
      status.textContent = texts.full;
      return;
    }
    chosen.push(i);
    input.value = "";
    suggest();
    update();
    status.textContent = fill(texts.added, { nom: communes.name[i], k: chosen.length });
    input.focus();
  }

  function remove(i) {
    chosen.splice(chosen.indexOf(i), 1);
    update();
    status.textContent = fill(texts.removed, { nom: communes.name[i] });
    input.focus();
  }

  // --- suggestions --------------------------------------------------------------------------

  var shown = [];

  function suggest() {
    var found = find(input.value);
    shown = found.slice(0, SHOWN);
    suggestions.textContent = "";
    shown.forEach(function (i) {
      var taken = chosen.indexOf(i) >= 0;
      var button = el("button", { type: "button", "class": "comparer-add" });
      button.appendChild(hidden(texts.add));
      button.appendChild(document.createTextNode(communes.name[i] + " "));
      button.appendChild(el("span", { "class": "meta" }, place(i)));
      if (taken) button.appendChild(el("span", { "class": "meta" }, " (" + texts.chosen + ")"));
      button.disabled = taken || chosen.length >= MAX;
      button.addEventListener("click", function () { add(i); });
      button.addEventListener("keydown", function (event) { move(event, button); });
      var item = el("li");
      item.appendChild(button);
      suggestions.appendChild(item);
    });
    if (!input.value.trim()) status.textContent = "";
    else if (!found.length) status.textContent = texts.none;
    else if (found.length > SHOWN) status.textContent = fill(texts.more, { n: found.length.toLocaleString("fr-FR"), k: SHOWN });
    else status.textContent = plural(texts.found, found.length);
    if (chosen.length >= MAX && input.value.trim()) status.textContent = texts.full;
  }

  function buttons() {
    return Array.prototype.slice.call(suggestions.querySelectorAll("button:not([disabled])"));
  }

  function move(event, button) {
    var all = buttons();
    var at = all.indexOf(button);
    if (event.key === "ArrowDown" && at + 1 < all.length) all[at + 1].focus();
    else if (event.key === "ArrowUp") (at > 0 ? all[at - 1] : input).focus();
    else if (event.key === "Escape") input.focus();
    else return;
    event.preventDefault();
  }

  input.addEventListener("input", suggest);
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && buttons().length) {
      buttons()[0].focus();
      event.preventDefault();
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = shown.filter(function (i) { return chosen.indexOf(i) < 0; })[0];
    if (first !== undefined) add(first);
  });

  // --- the chosen ones, the chart and the table ---------------------------------------------

  function update() {
    chosenList.textContent = "";
    chosen.forEach(function (i) {
      var item = el("li");
      item.appendChild(el("a", { href: url(i) }, communes.name[i]));
      item.appendChild(el("span", { "class": "meta" }, " " + place(i) + " "));
      var button = el("button", { type: "button", "class": "comparer-remove" }, texts.remove.trim());
      button.appendChild(hidden(" " + communes.name[i]));
      button.addEventListener("click", function () { remove(i); });
      item.appendChild(button);
      chosenList.appendChild(item);
    });
    empty.hidden = chosen.length > 0;
    output.hidden = chosen.length === 0;
    one.hidden = chosen.length !== 1;
    one.textContent = texts.one;
    remember();
    if (chosen.length) draw();
    if (input.value.trim()) suggest();
  }

  function names() {
    var all = chosen.map(function (i) { return communes.name[i]; });
    return all.length < 2 ? all.join("") : all.slice(0, -1).join(", ") + texts.and + all[all.length - 1];
  }

  /* Each chosen collectivité's label of each year: the number of @, or undefined. */
  function histories() {
    return chosen.map(function (i) {
      var byYear = {};
      communes.labels[i].forEach(function (l) { byYear[Math.floor(l / 6)] = l % 6; });
      return byYear;
    });
  }

  function span(all) {
    var first = years.length - 1;
    all.forEach(function (h) {
      Object.keys(h).forEach(function (y) { first = Math.min(first, Number(y)); });
    });
    var list = [];
    for (var y = Math.max(0, first); y < years.length; y++) list.push(y);
    return list;
  }

  function arobases(n) {
    if (n === undefined) return el("span", { "class": "meta" }, texts.unlabelled);
    if (n === 0) return el("span", { "class": "at at-0" }, texts.mention);
    var node = el("span", { "class": "at at-" + n });
    node.appendChild(el("span", { "aria-hidden": "true" }, new Array(n + 1).join("@")));
    node.appendChild(hidden(plural(texts.arobases, n)));
    return node;
  }

  function draw() {
    var all = histories();
    var range = span(all);
    var title = fill(texts.title, { noms: names() });
    caption.textContent = title;
    chart(all, range, title);
    write(all, range);
  }

  var DASHES = ["", "7 4", "2 3", "9 3 2 3"];
  var SHAPES = ["circle", "square", "triangle", "diamond"];

  function marker(shape, x, y, serie) {
    var r = 4.5, node;
    if (shape === "circle") {
      node = document.createElementNS(SVG, "circle");
      node.setAttribute("cx", x);
      node.setAttribute("cy", y);
      node.setAttribute("r", r);
    } else {
      var points = shape === "square"
        ? [[x - r, y - r], [x + r, y - r], [x + r, y + r], [x - r, y + r]]
        : shape === "triangle"
          ? [[x, y - r - 1], [x + r + 1, y + r], [x - r - 1, y + r]]
          : [[x, y - r - 1], [x + r + 1, y], [x, y + r + 1], [x - r - 1, y]];
      node = document.createElementNS(SVG, "polygon");
      node.setAttribute("points", points.map(function (p) { return p[0].toFixed(1) + "," + p[1].toFixed(1); }).join(" "));
    }
    node.setAttribute("class", "marker serie-" + serie);
    return node;
  }

  function svgNode(name, attrs, text) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function chart(all, range, title) {
    var width = Math.max(260, Math.min(drawing.clientWidth || 344, 720));
    var left = 104, right = 16, top = 14, row = 30, bottom = 30;
    var height = top + 5 * row + bottom;
    var step = range.length > 1 ? (width - left - right) / (range.length - 1) : 0;
    var x = function (k) { return range.length > 1 ? left + k * step : (left + width - right) / 2; };
    var y = function (n) { return top + (5 - n) * row; };
    var svg = svgNode("svg", {
      role: "img",
      "aria-labelledby": "comparer-svg-titre comparer-svg-desc",
      viewBox: "0 0 " + width + " " + height,
      width: width,
      height: height,
      "class": "bar-chart comparer-svg"
    });
    svg.appendChild(svgNode("title", { id: "comparer-svg-titre" }, title));
    var lines = chosen.map(function (i, s) { return communes.name[i] + " (" + texts.styles[s] + ")"; });
    svg.appendChild(svgNode("desc", { id: "comparer-svg-desc" }, fill(texts.desc, { lignes: lines.join(" ; ") })));
    for (var n = 0; n <= 5; n++) {
      svg.appendChild(svgNode("line", { "class": "grid", x1: left, x2: width - right, y1: y(n), y2: y(n) }));
      svg.appendChild(svgNode("text", { "class": "tick", x: left - 8, y: y(n) + 4, "text-anchor": "end" }, n ? n + "\u00a0@" : texts.mention));
    }
    // A year's label every so often, so that they never overlap (about 40 px each).
    var every = Math.max(1, Math.ceil(40 / (step || 40)));
    range.forEach(function (yi, k) {
      if ((range.length - 1 - k) % every) return;
      svg.appendChild(svgNode("text", { "class": "tick", x: x(k), y: height - 8, "text-anchor": "middle" }, String(years[yi])));
    });
    all.forEach(function (h, s) {
      // Lines of equal histories would hide each other: each is moved a little.
      var shift = (s - (all.length - 1) / 2) * 3;
      var group = svgNode("g", { "class": "serie serie-" + s, "data-code": communes.code[chosen[s]] });
      var d = "", open = false;
      range.forEach(function (yi, k) {
        var value = h[yi];
        if (value === undefined) { open = false; return; }
        d += (open ? " L" : "M") + x(k).toFixed(1) + " " + (y(value) + shift).toFixed(1);
        open = true;
      });
      if (d) group.appendChild(svgNode("path", { d: d, "class": "line", "stroke-dasharray": DASHES[s] || "none" }));
      range.forEach(function (yi, k) {
        var value = h[yi];
        if (value !== undefined) group.appendChild(marker(SHAPES[s], x(k), y(value) + shift, s));
      });
      svg.appendChild(group);
    });
    drawing.textContent = "";
    drawing.appendChild(svg);
    legend.textContent = "";
    chosen.forEach(function (i, s) {
      var item = el("li");
      var sample = svgNode("svg", { width: 44, height: 14, "aria-hidden": "true", focusable: "false", "class": "comparer-sample serie-" + s });
      sample.appendChild(svgNode("path", { d: "M2 7 L42 7", "class": "line", "stroke-dasharray": DASHES[s] || "none" }));
      sample.appendChild(marker(SHAPES[s], 22, 7, s));
      item.appendChild(sample);
      item.appendChild(document.createTextNode(" " + communes.name[i]));
      item.appendChild(hidden(" : " + texts.styles[s]));
      legend.appendChild(item);
    });
  }

  function write(all, range) {
    table.querySelector("caption").textContent = fill(texts.caption, { noms: names() });
    var head = table.querySelector("thead tr");
    head.textContent = "";
    head.appendChild(el("th", { scope: "col" }, texts.edition));
    chosen.forEach(function (i) { head.appendChild(el("th", { scope: "col" }, communes.name[i])); });
    var body = table.querySelector("tbody");
    body.textContent = "";
    range.slice().reverse().forEach(function (yi) {
      var tr = el("tr");
      tr.appendChild(el("th", { scope: "row" }, String(years[yi])));
      all.forEach(function (h, s) {
        var value = h[yi];
        var td = el("td", { "data-label": communes.name[chosen[s]], "data-value": value === undefined ? "" : String(value) });
        td.appendChild(arobases(value));
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }

  var resized = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resized);
    resized = window.setTimeout(function () { if (chosen.length) draw(); }, 150);
  });

  page.hidden = false;
  fromAddress();
  update();
  if (!chosen.length) status.textContent = "";
})();
