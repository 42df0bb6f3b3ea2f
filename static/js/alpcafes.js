// Organiser pages: a live recipient count while filters change, and the sending progress.
(function () {
  "use strict";
  var filters = document.getElementById("invite-filters");
  if (filters) {
    var form = filters.querySelector("form");
    var counter = document.getElementById("recipient-count");
    var review = document.getElementById("review-link");
    var latest = 0;
    var update = function () {
      var params = new URLSearchParams(new FormData(form));
      // The review goes to exactly the recipients counted here.
      if (review) review.href = review.dataset.base + "?" + params.toString();
      params.set("format", "count");
      // Only the answer to the latest request counts: an earlier one that arrives late (the
      // count on load, answered after the count for a filter just chosen) is dropped.
      var asked = ++latest;
      fetch(filters.dataset.countUrl + "?" + params.toString())
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (asked !== latest) return;
          counter.textContent = data.label;
          if (review) review.hidden = data.count === 0;
        });
    };
    form.addEventListener("change", update);
    // Filters chosen before this script ran (or restored by the browser on "back") count too.
    update();
  }
  // A form with data-confirm asks before it is sent (no inline handler: the CSP forbids them).
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
  var progress = document.getElementById("invitation-progress");
  if (progress) {
    var bar = document.getElementById("progress-bar");
    var text = document.getElementById("progress-text");
    var poll = function () {
      fetch(progress.dataset.url).then(function (r) { return r.json(); }).then(function (data) {
        bar.max = data.queued; bar.value = data.sent;
        text.textContent = data.sent + " / " + data.queued;
        if (data.sent < data.queued) setTimeout(poll, 1500);
      });
    };
    if (Number(bar.value) < Number(bar.max)) setTimeout(poll, 1500);
  }
})();
