// The organiser's poll page: the results refresh while answers come in (every 20 seconds).
(function () {
  "use strict";
  var results = document.getElementById("poll-results");
  if (!results || !results.dataset.url) return;
  var refresh = function () {
    if (document.hidden) return setTimeout(refresh, 20000);
    fetch(results.dataset.url, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        // Not while the organiser is about to click a button of the old table.
        if (html !== null && !results.contains(document.activeElement)) results.innerHTML = html;
        setTimeout(refresh, 20000);
      })
      .catch(function () { setTimeout(refresh, 60000); });
  };
  setTimeout(refresh, 20000);
})();
