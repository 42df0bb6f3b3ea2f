// Show each <time data-local-time> in the visitor's own time zone; the server's rendering
// (Central European Time) stays for readers without JavaScript.
(function () {
  "use strict";
  var format = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
    weekday: "short", day: "numeric", month: "short", year: "numeric",
    hour: "2-digit", minute: "2-digit", timeZoneName: "short",
  });
  document.querySelectorAll("time[data-local-time]").forEach(function (el) {
    var date = new Date(el.getAttribute("datetime"));
    if (!isNaN(date)) el.textContent = format.format(date);
  });
})();
