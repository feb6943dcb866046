/* The copy button of a collectivité's panel snippet (layouts/panneau.html). Progressive
   enhancement: without JavaScript the button stays hidden and the read-only text area is
   there to select and copy by hand. Works from file:// (the Clipboard API, or the older
   command where a browser refuses it there). */
(function () {
  "use strict";

  var buttons = document.querySelectorAll("button[data-copy]");
  Array.prototype.forEach.call(buttons, function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById(button.getAttribute("data-status"));
    if (!field) return;
    button.hidden = false;

    function say(copied) {
      if (!status) return;
      status.textContent = copied
        ? "Code copié."
        : "Copie impossible\u00a0: sélectionnez le code et copiez-le.";
    }

    function byCommand() {
      field.focus();
      field.select();
      var copied = false;
      try {
        copied = document.execCommand("copy");
      } catch (err) {
        copied = false;
      }
      button.focus();
      say(copied);
    }

    button.addEventListener("click", function () {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(function () { say(true); }, byCommand);
      } else {
        byCommand();
      }
    });
  });
})();
