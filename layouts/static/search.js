/* Palmarès search: classic scripts only (no fetch, no module, no worker, no WebAssembly), so
   the same page searches on the web and from file:// on a USB key.

   The index parts (written by palmares/search.py) are plain data assigned to
   window.PalmaresIndex; MiniSearch (vendored, see static/vendor/) builds its inverted index
   from them in the page. The main part comes with the page; the other parts (actions) are
   injected as <script> elements once the first results are on screen.

   Performance marks for bench/search.py: "search-ready" (main part indexed),
   "search-parts-ready" (every part indexed) and one "search" measure per query shown,
   from the input event to the results in the page. */
(function () {
  "use strict";

  var page = document.getElementById("search");
  var data = window.PalmaresIndex && window.PalmaresIndex.main;
  if (!page || !data || typeof window.MiniSearch !== "function") return;

  var texts = JSON.parse(page.getAttribute("data-texts"));
  var root = page.getAttribute("data-root");
  var indexScript = document.getElementById("search-index");
  var input = document.getElementById("q");
  var form = input.form;
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var facetBox = document.getElementById("search-facets");
  var clear = document.getElementById("search-clear");
  var filters = document.getElementById("search-filters");
  var toggle = document.getElementById("search-filters-toggle");
  var none = document.getElementById("search-none");
  var suggestion = document.getElementById("search-suggestion");
  var PAGE = 50;

  // --- folding: one function for the documents and the queries --------------------------

  var LETTERS = { "œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "đ": "d", "ł": "l" };
  var MARKS = /[\u0300-\u036f]/g;

  function fold(text) {
    return text
      .toLowerCase()
      .replace(/[œæßøđł]/g, function (c) { return LETTERS[c]; })
      .normalize("NFD")
      .replace(MARKS, "");
  }

  /* Apostrophes, hyphens and punctuation separate words: "L'Isle-Adam" → l isle adam;
     "st" and "ste" are "saint" and "sainte" wherever they are written or typed. */
  var SHORT = { st: "saint", ste: "sainte" };

  function tokenize(text) {
    var words = fold(text).split(/[^0-9a-z]+/).filter(Boolean);
    for (var i = 0; i < words.length; i++) {
      if (SHORT.hasOwnProperty(words[i])) words[i] = SHORT[words[i]];
    }
    return words;
  }

  /* Intercommunalités are named in full or by their initials: a name with one form is
     also indexed under the other, so "ca riviera" and "communaute d agglomeration riviera"
     find "Communauté d'agglomération La Riviéra du Levant", and "CA du Grand Dole". */
  var INITIALS = [
    ["ca", "communaute d agglomeration"],
    ["cc", "communaute de communes"],
    ["cu", "communaute urbaine"],
    ["ept", "etablissement public territorial"]
  ];

  function aliases(name) {
    var k = " " + key(name) + " ";
    var found = [];
    INITIALS.forEach(function (pair) {
      if (k.indexOf(" " + pair[1] + " ") >= 0) found.push(pair[0]);
      else if (k.indexOf(" " + pair[0] + " ") >= 0) found.push(pair[1]);
    });
    return found.join(" ");
  }

  /* Light French plural and inflection folding, applied to indexed and typed words alike:
     numériques → numerique, journaux → journal, jeux → jeu, connectée → connecte. */
  function stem(term) {
    if (term.length > 4 && /eaux$/.test(term)) return term.slice(0, -1);
    if (term.length > 4 && /aux$/.test(term)) return term.slice(0, -3) + "al";
    if (term.length > 3 && /[sx]$/.test(term)) term = term.slice(0, -1);
    if (term.length > 3 && /ee$/.test(term)) term = term.slice(0, -1);
    return term;
  }

  function key(text) {
    return tokenize(text).join(" ");
  }

  // --- documents: integer ids, kind and position in the part's columns ------------------

  var KIND = { commune: 0, departement: 1, region: 2, domaine: 3, edition: 4, action: 5 };
  var KIND_NAMES = ["commune", "departement", "region", "domaine", "edition", "action"];
  var docKind = [];
  var docRef = [];
  var docLabels = []; // y * 8 + @, @ = 7 when not known
  var exact = new Map(); // folded name → ids whose name (or former name) it is
  var communes = data.communes;
  var depts = data.departements;
  var interco = new Set(communes.intercommunalite);
  var formerly = new Map(communes.formerly.map(function (e) { return [e[0], e[1]]; }));
  var actions = null;
  var communeLabels = communes.labels.map(function (labels) {
    return labels.map(function (l) { return Math.floor(l / 6) * 8 + (l % 6); });
  });

  function url(table, i) {
    return root + table.url.prefix + table.url.middles[i] + table.url.suffix;
  }

  function remember(name, id) {
    var k = key(name);
    var ids = exact.get(k);
    if (ids) ids.push(id);
    else exact.set(k, [id]);
  }

  var NONE = [];
  var docDept = [], docRegion = [], docType = [], docBand = [], docDomaines = [];

  function addDoc(kind, ref, labels) {
    var id = docKind.length;
    docKind.push(kind);
    docRef.push(ref);
    docLabels.push(labels);
    var c = kind === KIND.commune ? ref : kind === KIND.action ? actions.commune[ref] : -1;
    var d = c >= 0 ? communes.departement[c] : kind === KIND.departement ? ref : -1;
    var band = c >= 0 ? communes.population.charAt(c) : "-";
    docDept.push(d);
    docRegion.push(kind === KIND.region ? ref : d >= 0 ? depts.region[d] : -1);
    docType.push(c < 0 ? -1 : interco.has(c) ? 1 : 0);
    docBand.push(band === "-" ? -1 : Number(band));
    docDomaines.push(kind === KIND.action ? actions.domaines[ref] : kind === KIND.domaine ? [ref] : NONE);
    return id;
  }

  function place(d) {
    return depts.name[d] + " " + depts.code[d] + " " + data.regions.name[depts.region[d]];
  }

  function title(id) {
    var r = docRef[id];
    switch (docKind[id]) {
      case KIND.commune: return communes.name[r];
      case KIND.departement: return depts.name[r];
      case KIND.region: return data.regions.name[r];
      case KIND.domaine: return data.domaines.name[r];
      case KIND.edition: return texts.edition.replace("{annee}", data.years[r]);
      default: return actions.name[r];
    }
  }

  function extractField(doc, field) {
    var id = doc.id;
    if (field === "id") return id;
    var r = docRef[id];
    var kind = docKind[id];
    if (field === "title") {
      var name = title(id);
      remember(name, id);
      return name;
    }
    if (kind === KIND.commune) {
      if (field === "alias") return aliases(communes.name[r]);
      if (field === "place") return place(communes.departement[r]);
      if (field === "formerly") {
        var names = formerly.get(r) || [];
        names.forEach(function (n) { remember(n, id); });
        return names.join(" ");
      }
    } else if (kind === KIND.departement) {
      if (field === "place") return depts.code[r] + " " + data.regions.name[depts.region[r]];
    } else if (kind === KIND.edition) {
      if (field === "place") return String(data.years[r]);
    }
    return "";
  }

  /* An action is found by its title only: its collectivité and domains are in its result
     line and in the facets. Matching them too made every "saint…" or "numérique…"
     keystroke score tens of thousands of actions at national scale (docs/search.md). */
  var BOOST = { title: 5, alias: 4, formerly: 3, place: 1 };
  var TYPO_BOOST = {};
  Object.keys(BOOST).forEach(function (f) { TYPO_BOOST[f] = BOOST[f] * 0.45; });

  /* One typo (one edit) in a word of three letters or more: "marq", "ivri", "fontenai". */
  function typos(term) {
    return term.length >= 3 ? 1 : false;
  }

  var engine = new window.MiniSearch({
    fields: ["title", "alias", "formerly", "place"],
    storeFields: [],
    extractField: extractField,
    tokenize: tokenize,
    processTerm: stem,
    searchOptions: { boost: BOOST, fuzzy: typos }
  });

  var mainDocs = [];
  communes.name.forEach(function (_, r) {
    mainDocs.push({ id: addDoc(KIND.commune, r, communeLabels[r]) });
  });
  depts.code.forEach(function (_, r) { mainDocs.push({ id: addDoc(KIND.departement, r, null) }); });
  data.regions.code.forEach(function (_, r) { mainDocs.push({ id: addDoc(KIND.region, r, null) }); });
  data.domaines.slug.forEach(function (_, r) { mainDocs.push({ id: addDoc(KIND.domaine, r, null) }); });
  data.years.forEach(function (_, r) { mainDocs.push({ id: addDoc(KIND.edition, r, [r * 8 + 7]) }); });
  engine.addAll(mainDocs);
  performance.mark("search-ready");

  // --- facets ----------------------------------------------------------------------------

  /* A facet: the page's value of each internal value, its checkboxes, what is ticked, and
     the counts of the last query. Département, région, type and population band have one
     value a document (docDept…, -1 where none); domains several; edition and @ go in
     pairs, the labels (y * 8 + @), so that "2017" and "5 @" mean 5 @ in 2017. */
  function facet(name, keys, values) {
    var size = Math.max(keys.length, 8);
    var f = { name: name, values: values, boxes: new Map(), selected: new Uint8Array(size), on: 0, counts: null };
    var index = new Map(keys.map(function (k, i) { return [String(k), i]; }));
    facetBox.querySelectorAll('input[name="' + name + '"]').forEach(function (box) {
      if (index.has(box.value)) f.boxes.set(index.get(box.value), box);
      box.checked = false;
    });
    return f;
  }
  var SINGLE = [
    facet("departement", depts.code, docDept),
    facet("region", data.regions.code, docRegion),
    facet("type", ["commune", "intercommunalite"], docType),
    facet("population", ["0", "1", "2", "3"], docBand)
  ];
  var DOMAINE = facet("domaine", data.domaines.slug, docDomaines);
  var EDITION = facet("edition", data.years, null);
  var AROBASES = facet("arobases", ["0", "1", "2", "3", "4", "5"], null);
  var FACETS = SINGLE.concat([DOMAINE, EDITION, AROBASES]);
  var byName = {};
  FACETS.forEach(function (f) { byName[f.name] = f; });

  function labelsPass(labels) {
    if (!labels) return false;
    for (var i = 0; i < labels.length; i++) {
      if ((!EDITION.on || EDITION.selected[labels[i] >> 3]) && (!AROBASES.on || AROBASES.selected[labels[i] & 7])) {
        return true;
      }
    }
    return false;
  }

  /* The hits that pass every facet; and in each facet's counts, how many hits each value
     would have with the other facets as they are (values of one facet combine with "or"). */
  function applyFacets(ids) {
    FACETS.forEach(function (f) { f.counts = new Int32Array(f.selected.length); });
    var S = SINGLE.length, kept = [];
    var labelsOn = EDITION.on || AROBASES.on;
    for (var n = 0; n < ids.length; n++) {
      var id = ids[n], failed = 0, failedAt = -1, s, v, i;
      for (s = 0; s < S; s++) {
        var f = SINGLE[s];
        if (f.on) {
          v = f.values[id];
          if (v < 0 || !f.selected[v]) { failed++; failedAt = s; }
        }
      }
      var domaines = docDomaines[id];
      if (DOMAINE.on) {
        var any = false;
        for (i = 0; i < domaines.length; i++) if (DOMAINE.selected[domaines[i]]) any = true;
        if (!any) { failed++; failedAt = S; }
      }
      if (failed > 1) continue;
      var labels = docLabels[id];
      var labelsOk = !labelsOn || labelsPass(labels);
      if (failed === 0) {
        if (labelsOk) kept.push(id);
        if (labels) {
          var seenAts = 0;
          for (i = 0; i < labels.length; i++) {
            var y = labels[i] >> 3, a = labels[i] & 7;
            if (!AROBASES.on || AROBASES.selected[a]) EDITION.counts[y]++;
            if ((!EDITION.on || EDITION.selected[y]) && !(seenAts & (1 << a))) {
              seenAts |= 1 << a;
              AROBASES.counts[a]++;
            }
          }
        }
      }
      if (!labelsOk) continue;
      for (s = 0; s < S; s++) {
        if (failed && failedAt !== s) continue;
        v = SINGLE[s].values[id];
        if (v >= 0) SINGLE[s].counts[v]++;
      }
      if (!failed || failedAt === S) {
        for (i = 0; i < domaines.length; i++) DOMAINE.counts[domaines[i]]++;
      }
    }
    return kept;
  }

  function anySelected() {
    return FACETS.some(function (f) { return f.on > 0; });
  }

  function showCounts() {
    var focused = document.activeElement;
    FACETS.forEach(function (f) {
      f.boxes.forEach(function (box, value) {
        var n = f.counts[value];
        var item = box.closest("li");
        item.querySelector(".count").textContent = formatInt(n);
        item.hidden = n === 0 && !box.checked && box !== focused;
      });
    });
    // A facet with no value to offer is hidden whole, and so are the filters when none has.
    var any = false;
    facetBox.querySelectorAll("details.facet").forEach(function (details) {
      details.hidden = !details.querySelector("li:not([hidden])");
      if (!details.hidden) any = true;
    });
    filters.hidden = !any;
    var on = 0;
    FACETS.forEach(function (f) { on += f.on; });
    toggle.textContent = on ? plural(texts.filtersOn, on) : texts.filters;
    clear.hidden = !anySelected();
  }

  // --- results ---------------------------------------------------------------------------

  function formatInt(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f");
  }

  function plural(forms, n) {
    return forms[n < 2 ? 0 : 1].replace("{n}", formatInt(n));
  }

  function arobases(label) {
    var at = label & 7, year = data.years[label >> 3];
    var span = document.createElement("span");
    if (at === 0) {
      span.className = "at at-0";
      span.textContent = texts.mention;
    } else {
      span.className = "at at-" + at;
      var shown = document.createElement("span");
      shown.setAttribute("aria-hidden", "true");
      shown.textContent = new Array(at + 1).join("@");
      var said = document.createElement("span");
      said.className = "visually-hidden";
      said.textContent = plural(texts.arobases, at);
      span.appendChild(shown);
      span.appendChild(said);
    }
    return [span, " " + texts.year.replace("{annee}", year)];
  }

  function details(id) {
    var r = docRef[id];
    var parts = [];
    switch (docKind[id]) {
      case KIND.commune:
        var d = communes.departement[r];
        parts.push([depts.name[d] + " (" + depts.code[d] + ")"]);
        var labels = docLabels[id];
        if (labels.length) parts.push(arobases(labels[labels.length - 1]));
        if (formerly.has(r)) parts.push([texts.formerly.replace("{noms}", formerly.get(r).join(", "))]);
        break;
      case KIND.departement:
        parts.push([data.regions.name[depts.region[r]]], [plural(texts.collectivites, depts.count[r])]);
        break;
      case KIND.region:
        parts.push([plural(texts.collectivites, data.regions.count[r])]);
        break;
      case KIND.domaine:
        parts.push([plural(texts.actions, data.domaines.count[r])]);
        break;
      case KIND.edition:
        parts.push([plural(texts.collectivites, data.editions.count[r])]);
        break;
      default:
        parts.push([communes.name[actions.commune[r]]], [String(data.years[actions.year[r]])]);
        var names = actions.domaines[r].map(function (x) { return data.domaines.name[x]; });
        if (names.length) parts.push([names.join(", ")]);
    }
    var meta = document.createElement("span");
    meta.className = "meta";
    parts.forEach(function (nodes, i) {
      if (i) meta.appendChild(document.createTextNode(" · "));
      nodes.forEach(function (node) {
        meta.appendChild(typeof node === "string" ? document.createTextNode(node) : node);
      });
    });
    return meta;
  }

  function href(id) {
    var r = docRef[id];
    switch (docKind[id]) {
      case KIND.commune: return url(communes, r);
      case KIND.departement: return url(depts, r);
      case KIND.region: return url(data.regions, r);
      case KIND.domaine: return url(data.domaines, r);
      case KIND.edition: return url(data.editions, r);
      default: return url(actions, r);
    }
  }

  function item(id) {
    var kind = KIND_NAMES[docKind[id]];
    if (kind === "commune" && interco.has(docRef[id])) kind = "intercommunalite";
    var li = document.createElement("li");
    li.className = "result result-" + kind;
    var a = document.createElement("a");
    a.href = href(id);
    var badge = document.createElement("span");
    badge.className = "kind";
    badge.textContent = texts.kinds[kind];
    var name = document.createElement("span");
    name.className = "name";
    name.textContent = title(id);
    a.appendChild(badge);
    a.appendChild(name);
    li.appendChild(a);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(details(id));
    return li;
  }

  var shown = [];
  var shownCount = 0;

  function links() {
    return list.querySelectorAll("a");
  }

  function render(ids, from) {
    var focused = list.contains(document.activeElement) ? document.activeElement.getAttribute("href") : null;
    var moreFocused = document.activeElement === more;
    if (!from) list.textContent = "";
    var end = Math.min(ids.length, from + PAGE);
    var fragment = document.createDocumentFragment();
    for (var i = from; i < end; i++) fragment.appendChild(item(ids[i]));
    list.appendChild(fragment);
    shownCount = end;
    more.hidden = end >= ids.length;
    // Focus never lost: it stays on the same result, or goes back to the search field.
    if (focused !== null || (moreFocused && more.hidden)) {
      var same = focused && list.querySelector('a[href="' + CSS.escape(focused) + '"]');
      (same || input).focus();
    }
  }

  function announce(total, asked) {
    if (!asked) {
      status.textContent = "";
      return;
    }
    var text = total ? plural(texts.results, total) : texts.none;
    if (total && partial) text = texts.partial + "\u00a0: " + text;
    if (loading) text += " " + texts.loading;
    status.textContent = text;
  }

  // --- the query -------------------------------------------------------------------------

  /* Every word must match (AND); each word matches itself, its prefixes while typing
     (a lone letter, as the d of "villeneuve d ascq", is a word of its own),
     words one edit away when it has three letters or more, and its swaps of two
     neighbouring letters, the commonest typo, which an edit distance counts twice. */
  function wordQuery(words, i, typoBoost) {
    var word = words[i], last = words.length - 1;
    // Typing the last word of several, one or two letters ("saint d", "saint de") are
    // taken as words: as prefixes they would match thousands of words for nothing.
    var prefix = i === last ? words.length === 1 || word.length > 2 : word.length > 1;
    var alternatives = [{ queries: [word], prefix: prefix }];
    if (word.length >= 3) {
      for (var j = 0; j + 1 < word.length; j++) {
        if (word[j] === word[j + 1]) continue;
        var swapped = word.slice(0, j) + word[j + 1] + word[j] + word.slice(j + 2);
        alternatives.push({ queries: [swapped], prefix: i === last, fuzzy: false, boost: typoBoost });
      }
    }
    return { combineWith: "OR", queries: alternatives };
  }

  function query(words) {
    return {
      combineWith: "AND",
      queries: words.map(function (_, i) { return wordQuery(words, i, TYPO_BOOST); })
    };
  }

  // --- full text: the write-ups, once their parts are in -----------------------------------

  /* Each distinct word of an action's title, collectivité and write-up points to the
     actions that have it (postings, ascending); a second MiniSearch indexes the distinct
     words themselves, so a typed word finds its prefixes and typos among them as it does
     among the names. Words of fewer than three letters and the commonest ones are left
     out: they would point to nearly every action and never narrow a search. */
  var STOP = new Set(("les des une pour par sur avec dans qui que est aux son ses leur leurs " +
    "ont ete cette ces elle ils nous vous tout tous plus mais").split(" "));
  var textWords = []; // distinct folded words, in order of first appearance
  var textIds = new Map(); // word → its index in textWords
  var postings = []; // word index → action refs
  var textCount = 0; // actions whose text is indexed
  var vocabulary = null;
  var vocabularySize = 0; // words of textWords already in the vocabulary
  var VOCABULARY_TYPO = { term: 0.45 };

  function textual(word) {
    return word.length >= 3 && !STOP.has(word);
  }

  function indexText(part, done) {
    var texts = part.text, k = 0;
    if (!vocabulary) {
      vocabulary = new window.MiniSearch({
        fields: ["term"],
        storeFields: [],
        tokenize: tokenize,
        processTerm: stem,
        searchOptions: { fuzzy: typos }
      });
    }
    function slice() {
      var until = performance.now() + SLICE_MS;
      while (k < texts.length && performance.now() < until) {
        var r = textCount;
        var words = tokenize(actions.name[r] + " " + communes.name[actions.commune[r]] + " " + texts[k]);
        for (var i = 0; i < words.length; i++) {
          var w = words[i];
          if (!textual(w)) continue;
          var t = textIds.get(w);
          if (t === undefined) {
            textIds.set(w, textWords.length);
            textWords.push(w);
            postings.push([r]);
          } else if (postings[t][postings[t].length - 1] !== r) {
            postings[t].push(r);
          }
        }
        textCount++;
        k++;
      }
      var docs = [];
      while (vocabularySize < textWords.length && performance.now() < until) {
        for (var end = Math.min(textWords.length, vocabularySize + 500); vocabularySize < end; vocabularySize++) {
          docs.push({ id: vocabularySize, term: textWords[vocabularySize] });
        }
        vocabulary.addAll(docs);
        docs = [];
      }
      if (k < texts.length || vocabularySize < textWords.length) setTimeout(slice, 0);
      else done();
    }
    slice();
  }

  /* Calls visit(r, weight) once for each action whose text has the ith word (or one of
     its prefixes or typos; weight 1 for the best of them). */
  function textWord(words, i, visit, seen, stamp) {
    var hits = vocabulary.search(wordQuery(words, i, VOCABULARY_TYPO));
    if (!hits.length) return;
    var best = hits[0].score;
    for (var h = 0; h < hits.length; h++) {
      var list = postings[hits[h].id], weight = hits[h].score / best;
      for (var j = 0; j < list.length; j++) {
        var r = list[j];
        if (seen[r] !== stamp) {
          seen[r] = stamp;
          visit(r, weight);
        }
      }
    }
  }

  /* The actions whose text has every word that can be looked up there (AND), best first. */
  function textSearch(words) {
    if (!vocabulary) return [];
    var n = textCount, counts = new Uint8Array(n), scores = new Float32Array(n);
    var seen = new Uint8Array(n), considered = 0;
    function visit(r, weight) {
      counts[r]++;
      scores[r] += weight;
    }
    for (var i = 0; i < words.length && considered < 255; i++) {
      if (textual(words[i])) textWord(words, i, visit, seen, ++considered);
    }
    if (!considered) return [];
    // Best first by a bucket sort of the scores (in 1/16 of a word): a common word's tens of
    // thousands of actions at national scale took tens of milliseconds to sort by comparison.
    var STEPS = 16, top = considered * STEPS, buckets = new Int32Array(top + 2), r;
    for (r = 0; r < n; r++) if (counts[r] === considered) buckets[top - Math.round(scores[r] * STEPS) + 1]++;
    for (var b = 1; b <= top + 1; b++) buckets[b] += buckets[b - 1];
    var refs = new Array(buckets[top + 1]);
    for (r = 0; r < n; r++) if (counts[r] === considered) refs[buckets[top - Math.round(scores[r] * STEPS)]++] = r;
    return refs;
  }

  // --- searching -------------------------------------------------------------------------

  var everything = null; // every id, in kind order: the base of an empty query
  var actionDoc = []; // action ref → document id
  var partial = false; // the last search shows results with only some of the words
  var stamps = null; // document id → last search that listed it
  var stamp = 0;

  function search(words) {
    partial = false;
    if (!words.length) {
      if (!everything || everything.length !== docKind.length) {
        everything = docKind.map(function (_, id) { return id; });
      }
      return everything;
    }
    var hits = engine.search(query(words));
    if (!hits.length && words.length > 1 && words[words.length - 1].length < 3) {
      // A word just begun ("villeneuve d a"): the results of the words before it meanwhile.
      hits = engine.search(query(words.slice(0, -1)));
    }
    if (!stamps || stamps.length < docKind.length) stamps = new Uint32Array(docKind.length + 1024);
    stamp++;
    var ids = [];
    function add(id) {
      if (stamps[id] !== stamp) {
        stamps[id] = stamp;
        ids.push(id);
      }
    }
    (exact.get(words.join(" ")) || []).forEach(add);
    for (var i = 0; i < hits.length; i++) add(hits[i].id);
    // Then the actions found by their write-up (or title and collectivité together).
    var refs = textSearch(words);
    for (i = 0; i < refs.length; i++) add(actionDoc[refs[i]]);
    if (!ids.length && words.length > 1) {
      ids = mostWords(words);
      partial = ids.length > 0;
    }
    return ids;
  }

  /* No result has every word: those that have the most of them, best first. */
  function mostWords(words) {
    var count = new Map(), score = new Map();
    function hit(id, value, seen) {
      if (seen.has(id)) return;
      seen.add(id);
      count.set(id, (count.get(id) || 0) + 1);
      score.set(id, (score.get(id) || 0) + value);
    }
    words.forEach(function (_, i) {
      var seen = new Set();
      engine.search(wordQuery(words, i, TYPO_BOOST)).forEach(function (h) { hit(h.id, h.score, seen); });
      if (vocabulary && textual(words[i])) {
        textWord(words, i, function (r, weight) { hit(actionDoc[r], weight, seen); }, new Uint8Array(textCount), 1);
      }
    });
    var most = 0;
    count.forEach(function (n) { if (n > most) most = n; });
    var ids = [];
    count.forEach(function (n, id) { if (n === most) ids.push(id); });
    return ids.sort(function (a, b) { return score.get(b) - score.get(a) || a - b; });
  }

  /* Nothing found: up to three names close to what was typed, from a looser search (two
     typos a word, any word), then from the first letters of each word. */
  function suggestions(words) {
    var loose = { combineWith: "OR", prefix: true, boost: BOOST, fuzzy: function (term) {
      return term.length >= 6 ? 2 : term.length >= 3 ? 1 : false;
    } };
    var hits = engine.search(words.join(" "), loose);
    if (!hits.length) {
      var starts = words.filter(function (w) { return w.length >= 3; }).map(function (w) {
        return w.slice(0, Math.max(3, Math.ceil(w.length / 2)));
      });
      if (starts.length) hits = engine.search(starts.join(" "), { combineWith: "OR", prefix: true, boost: BOOST });
    }
    var names = [];
    for (var i = 0; i < hits.length && names.length < 3; i++) {
      var name = title(hits[i].id);
      if (names.indexOf(name) < 0) names.push(name);
    }
    return names;
  }

  var blank = null; // facet counts of every document, for an empty query with no filter

  function update(started) {
    var words = tokenize(input.value);
    var asked = words.length > 0 || anySelected();
    var found = null;
    if (asked) {
      found = search(words);
      shown = applyFacets(found);
    } else {
      if (!blank || blank.size !== docKind.length) {
        applyFacets(search(words));
        blank = { size: docKind.length, counts: FACETS.map(function (f) { return f.counts; }) };
      }
      FACETS.forEach(function (f, i) { f.counts = blank.counts[i]; });
      shown = [];
    }
    showCounts();
    render(shown, 0);
    announce(shown.length, asked);
    showNone(asked && !shown.length, found && !found.length ? suggestions(words) : []);
    if (started !== undefined) performance.measure("search", { start: started });
  }

  /* No result: names close to the query, and the ways to browse instead. */
  function showNone(empty, names) {
    none.hidden = !empty;
    suggestion.hidden = !names.length;
    var list = suggestion.querySelector(".suggestions");
    list.textContent = "";
    names.forEach(function (name, i) {
      if (i) list.appendChild(document.createTextNode(i === names.length - 1 ? texts.or : ", "));
      var a = document.createElement("a");
      a.href = "index.html?q=" + encodeURIComponent(name);
      a.textContent = name;
      a.addEventListener("click", function (event) {
        event.preventDefault();
        input.value = name;
        update();
        rememberQuery();
        input.focus();
      });
      list.appendChild(a);
    });
  }

  function rememberQuery() {
    try {
      var params = new URLSearchParams(window.location.search);
      if (input.value) params.set("q", input.value);
      else params.delete("q");
      var qs = params.toString();
      history.replaceState(null, "", qs ? "?" + qs : window.location.pathname);
    } catch (e) {
      // Some browsers refuse history changes on file:// pages; the search works without.
    }
  }

  // --- parts loaded on demand ------------------------------------------------------------

  var loading = false;
  var requested = false;

  function loadParts() {
    if (requested) return;
    requested = true;
    var queue = data.parts.slice();
    if (!queue.length) return;
    loading = true;
    next();
    // One part at a time: each is evaluated and indexed in a few milliseconds.
    function next() {
      var part = queue.shift();
      if (!part) {
        loading = false;
        performance.mark("search-parts-ready");
        update();
        return;
      }
      var script = document.createElement("script");
      script.src = new URL(part[1], indexScript.src).href;
      script.onload = function () {
        var chunk = window.PalmaresIndex[part[0]];
        window.PalmaresIndex[part[0]] = null;
        if (part[0] === "actions" && chunk) indexActions(chunk, next);
        else if (part[0] === "text" && chunk && actions) indexText(chunk, next);
        else next();
      };
      script.onerror = next;
      document.head.appendChild(script);
    }
  }

  /* A part's actions join the actions table, then are indexed in slices of a few
     milliseconds, so that a keystroke never waits long while they are. */
  var SLICE_MS = 8;

  function indexActions(part, done) {
    if (!actions) {
      actions = { name: [], commune: [], year: [], domaines: [] };
      actions.url = { prefix: part.url.prefix, suffix: part.url.suffix, middles: [] };
    }
    var r = actions.name.length;
    var total = r + part.name.length;
    ["name", "commune", "year", "domaines"].forEach(function (column) {
      Array.prototype.push.apply(actions[column], part[column]);
    });
    Array.prototype.push.apply(actions.url.middles, part.url.middles);
    function slice() {
      var until = performance.now() + SLICE_MS;
      while (r < total && performance.now() < until) {
        var docs = [];
        for (var end = Math.min(total, r + 100); r < end; r++) {
          var c = actions.commune[r], y = actions.year[r], at = 7;
          var labels = communeLabels[c];
          for (var i = 0; i < labels.length; i++) if (labels[i] >> 3 === y) at = labels[i] & 7;
          actionDoc[r] = addDoc(KIND.action, r, [y * 8 + at]);
          docs.push({ id: actionDoc[r] });
        }
        engine.addAll(docs);
      }
      if (r < total) setTimeout(slice, 0);
      else done();
    }
    slice();
  }

  // --- events ----------------------------------------------------------------------------

  function onInput(event) {
    update(event.timeStamp);
    rememberQuery();
    loadParts();
  }

  input.addEventListener("input", onInput);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    update();
  });

  facetBox.addEventListener("change", function (event) {
    var box = event.target;
    var f = byName[box.name];
    if (!f) return;
    f.boxes.forEach(function (b, value) {
      if (b === box && f.selected[value] !== (box.checked ? 1 : 0)) {
        f.selected[value] = box.checked ? 1 : 0;
        f.on += box.checked ? 1 : -1;
      }
    });
    update(event.timeStamp);
    loadParts();
  });

  clear.addEventListener("click", function () {
    FACETS.forEach(function (f) {
      f.selected.fill(0);
      f.on = 0;
      f.boxes.forEach(function (box) { box.checked = false; });
    });
    input.focus();
    update();
  });

  more.addEventListener("click", function () {
    var from = shownCount;
    render(shown, from);
    var next = links()[from];
    if (next) next.focus();
  });

  /* Arrows move between the search field and the results; Enter follows the link. */
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && links().length) {
      event.preventDefault();
      links()[0].focus();
    }
  });

  list.addEventListener("keydown", function (event) {
    var all = Array.prototype.slice.call(links());
    var at = all.indexOf(document.activeElement);
    if (at < 0) return;
    var target = null;
    if (event.key === "ArrowDown") target = all[at + 1] || (more.hidden ? all[at] : more);
    else if (event.key === "ArrowUp") target = at ? all[at - 1] : input;
    else if (event.key === "Home") target = all[0];
    else if (event.key === "End") target = all[all.length - 1];
    else if (event.key === "Escape") target = input;
    if (target) {
      event.preventDefault();
      target.focus();
    }
  });

  more.addEventListener("keydown", function (event) {
    if (event.key === "ArrowUp") {
      event.preventDefault();
      var all = links();
      (all[all.length - 1] || input).focus();
    }
  });

  /* On a phone the filters are folded behind one button, so that the results come first
     (style.css shows the button and folds the filters below 48rem only). */
  toggle.addEventListener("click", function () {
    var open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    facetBox.classList.toggle("folded", !open);
  });

  filters.hidden = false;
  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) {
    // Arriving from the header's search box: the query in the field, the focus there, so
    // that the arrows and Escape work at once.
    input.value = initial;
    update();
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
    loadParts();
  } else {
    update();
  }
})();
