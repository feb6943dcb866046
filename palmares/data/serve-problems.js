/* Palmarès, `serve` only: what the last build said, over the page the browser shows. The
   problems that stopped it, over the last good version, in a box that goes away by itself
   once they are fixed; or the warnings of a good build, in a folded box the editor may
   open, or hide until they change. The server sends both lists at each build through a
   websocket; they are shown as text, never as HTML. */
(function () {
  "use strict";
  var box = null;
  var HIDDEN = "palmares-avertissements-masques";

  function element(name, style, text) {
    var node = document.createElement(name);
    node.style.cssText = style;
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  var SHOWN = 100; /* a corpus with thousands: the terminal has them all */

  function listed(items) {
    var list = element("ul", "margin:0.5rem 0 0;padding-left:1.25rem");
    items.slice(0, SHOWN).forEach(function (item) {
      var entry = element("li", "margin:0.25rem 0");
      entry.appendChild(element("code", "white-space:pre-wrap;font-size:0.95rem", item));
      list.appendChild(entry);
    });
    if (items.length > SHOWN) {
      list.appendChild(
        element(
          "li",
          "margin:0.25rem 0;list-style:none",
          "\u2026 et " + (items.length - SHOWN) + " autres\u202f: le terminal les montre tous."
        )
      );
    }
    return list;
  }

  function frame(id, colours, role) {
    var node = element(
      "section",
      "position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;" +
        "z-index:2147483647;margin:0;padding:1rem 1.25rem;color:#1b1f24;" +
        "font:16px/1.5 system-ui,sans-serif;box-shadow:0 -4px 16px rgba(0,0,0,0.25);" +
        colours
    );
    node.id = id;
    node.setAttribute("role", role);
    return node;
  }

  function problemsBox(problems) {
    var node = frame("palmares-problemes", "background:#fff4f4;border-top:4px solid #b3261e", "alert");
    node.setAttribute("aria-labelledby", "palmares-problemes-titre");
    var several = problems.length > 1;
    var title = element(
      "h2",
      "margin:0 0 0.5rem;font-size:1.1rem;color:#8c1d18",
      problems.length +
        (several ? " problèmes empêchent" : " problème empêche") +
        " la construction\u202f: cette page est la dernière version valide."
    );
    title.id = "palmares-problemes-titre";
    node.appendChild(title);
    var list = listed(problems);
    list.style.marginTop = "0";
    node.appendChild(list);
    node.appendChild(
      element("p", "margin:0.5rem 0 0", "Corrigez, enregistrez\u202f: ce cadre disparaît de lui-même.")
    );
    return node;
  }

  function warningsBox(warnings, said) {
    var node = frame(
      "palmares-avertissements",
      "background:#fff8e1;border-top:4px solid #8a5a00;padding:0.5rem 1.25rem",
      "status"
    );
    var fold = element("details", "margin:0");
    var several = warnings.length > 1;
    fold.appendChild(
      element(
        "summary",
        "cursor:pointer;font-weight:600;color:#5c3c00",
        warnings.length +
          (several ? " avertissements" : " avertissement") +
          "\u202f: le site est construit, lisez-" +
          (several ? "les" : "le") +
          " avant de publier."
      )
    );
    fold.appendChild(listed(warnings));
    node.appendChild(fold);
    var hide = element(
      "button",
      "margin:0.5rem 0 0;font:inherit;cursor:pointer",
      "Masquer jusqu\u2019au prochain changement"
    );
    hide.type = "button";
    hide.addEventListener("click", function () {
      try {
        sessionStorage.setItem(HIDDEN, said);
      } catch (e) {
        /* no storage (a private window): hidden until the page reloads */
      }
      show([], []);
    });
    node.appendChild(hide);
    return node;
  }

  function hidden(said) {
    try {
      return sessionStorage.getItem(HIDDEN) === said;
    } catch (e) {
      return false;
    }
  }

  function show(problems, warnings) {
    if (!document.body) {
      document.addEventListener("DOMContentLoaded", function () {
        show(problems, warnings);
      });
      return;
    }
    if (box) {
      box.remove();
      box = null;
    }
    var said = JSON.stringify(warnings);
    if (problems.length) {
      box = problemsBox(problems);
    } else if (warnings.length && !hidden(said)) {
      box = warningsBox(warnings, said);
    }
    if (box) {
      document.body.appendChild(box);
    }
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + "/_palmares/problemes");
    socket.onmessage = function (event) {
      var told = JSON.parse(event.data);
      show(told.problemes || [], told.avertissements || []);
    };
    socket.onclose = function () {
      setTimeout(connect, 1000);
    };
  }

  connect();
})();
