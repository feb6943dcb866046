/* Palmarès, `serve` only: the problems of the last build over the page the browser shows
   (the last good version), in a box that goes away by itself once they are fixed. The
   server sends the list at each build through a websocket; problems are shown as text,
   never as HTML. */
(function () {
  "use strict";
  var box = null;

  function element(name, style, text) {
    var node = document.createElement(name);
    node.style.cssText = style;
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function show(problems) {
    if (!document.body) {
      document.addEventListener("DOMContentLoaded", function () {
        show(problems);
      });
      return;
    }
    if (!problems.length) {
      if (box) {
        box.remove();
        box = null;
      }
      return;
    }
    if (!box) {
      box = element(
        "section",
        "position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;" +
          "z-index:2147483647;margin:0;padding:1rem 1.25rem;background:#fff4f4;" +
          "color:#1b1f24;border-top:4px solid #b3261e;font:16px/1.5 system-ui,sans-serif;" +
          "box-shadow:0 -4px 16px rgba(0,0,0,0.25)"
      );
      box.id = "palmares-problemes";
      box.setAttribute("role", "alert");
      box.setAttribute("aria-labelledby", "palmares-problemes-titre");
      document.body.appendChild(box);
    }
    box.textContent = "";
    var several = problems.length > 1;
    var title = element(
      "h2",
      "margin:0 0 0.5rem;font-size:1.1rem;color:#8c1d18",
      problems.length +
        (several ? " problèmes empêchent" : " problème empêche") +
        " la construction\u202f: cette page est la dernière version valide."
    );
    title.id = "palmares-problemes-titre";
    box.appendChild(title);
    var list = element("ul", "margin:0;padding-left:1.25rem");
    problems.forEach(function (problem) {
      var item = element("li", "margin:0.25rem 0");
      item.appendChild(element("code", "white-space:pre-wrap;font-size:0.95rem", problem));
      list.appendChild(item);
    });
    box.appendChild(list);
    box.appendChild(
      element(
        "p",
        "margin:0.5rem 0 0",
        "Corrigez, enregistrez\u202f: ce cadre disparaît de lui-même."
      )
    );
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + "/_palmares/problemes");
    socket.onmessage = function (event) {
      var told = JSON.parse(event.data);
      show(told.problemes || []);
    };
    socket.onclose = function () {
      setTimeout(connect, 1000);
    };
  }

  connect();
})();
