// Registration: while the member types the organisation's name, show the ones already in the
// registry that look like it, each with "ask to join it instead" (the server checks it again).
(function () {
  "use strict";
  var box = document.getElementById("similar");
  var form = document.getElementById("register-form");
  if (!box || !form) return;
  var list = document.getElementById("similar-list");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var timer = null;
  function show(items) {
    if (!items.length) { box.hidden = true; return; }
    list.textContent = "";
    items.forEach(function (item) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = item.url; a.textContent = item.name;
      li.appendChild(a);
      li.appendChild(document.createTextNode(" (" + item.place + ") "));
      var join = document.createElement("form");
      join.method = "post"; join.action = item.join_url; join.className = "d-inline";
      var csrf = document.createElement("input");
      csrf.type = "hidden"; csrf.name = "csrfmiddlewaretoken"; csrf.value = token;
      var button = document.createElement("button");
      button.className = "btn btn-sm btn-outline-primary ms-2";
      button.textContent = box.dataset.joinText;
      join.appendChild(csrf); join.appendChild(button);
      li.appendChild(join);
      list.appendChild(li);
    });
    box.hidden = false;
  }
  function check() {
    var data = new FormData(form);
    var params = new URLSearchParams();
    ["name", "country", "website"].forEach(function (k) { params.set(k, data.get(k) || ""); });
    if (!params.get("name") || !params.get("country")) return;
    fetch(box.dataset.url + "?" + params.toString(), {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : {similar: []}; })
      .then(function (d) { show(d.similar); });
  }
  function later(delay) { clearTimeout(timer); timer = setTimeout(check, delay); }
  ["name", "country", "website"].forEach(function (name) {
    var field = form.elements[name];
    if (!field) return;
    field.addEventListener("change", function () { later(200); });
    // While typing too, once the member pauses.
    field.addEventListener("input", function () { later(500); });
  });
  // The form shown again (an error, or back in the browser) keeps what was typed: check it.
  check();
})();
