// Organiser pages: a live recipient count while filters change, and the sending progress.
(function () {
  "use strict";
  var filters = document.getElementById("invite-filters");
  if (filters) {
    var form = filters.querySelector("form");
    var counter = document.getElementById("recipient-count");
    form.addEventListener("change", function () {
      var params = new URLSearchParams(new FormData(form));
      params.set("format", "count");
      fetch(filters.dataset.countUrl + "?" + params.toString())
        .then(function (r) { return r.json(); })
        .then(function (data) { counter.textContent = data.count; });
    });
  }
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
