// Scheduling forms: people picked from the directory, and the documents cited while typing.
// No libraries: fetch, a <datalist>, and a list rebuilt from JSON.
(function () {
  "use strict";
  var csrf = document.querySelector("input[name=csrf_token]");

  function debounce(fn, ms) {
    var timer;
    return function () { clearTimeout(timer); timer = setTimeout(fn, ms); };
  }

  // <input data-person-picker="hidden-id-field" data-url="/conferences/people.json">
  document.querySelectorAll("[data-person-picker]").forEach(function (input) {
    var hidden = document.getElementById(input.dataset.personPicker);
    var list = document.createElement("datalist");
    list.id = input.id + "-options";
    input.setAttribute("list", list.id);
    input.after(list);
    var byLabel = {};
    var refresh = debounce(function () {
      fetch(input.dataset.url + "?q=" + encodeURIComponent(input.value), {credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (people) {
          list.replaceChildren();
          people.forEach(function (p) {
            byLabel[p.label] = p.id;
            var option = document.createElement("option");
            option.value = p.label;
            list.append(option);
          });
          choose();
        });
    }, 250);
    function choose() { hidden.value = byLabel[input.value] || ""; }
    input.addEventListener("input", function () { choose(); refresh(); });
  });

  // <div data-citations data-url="…" data-sources="#title,#notes">
  document.querySelectorAll("[data-citations]").forEach(function (box) {
    var sources = box.dataset.sources.split(",").map(function (s) { return document.querySelector(s); })
      .filter(Boolean);
    var list = box.querySelector("[data-citation-list]");
    var labels = box.querySelector("[data-labels]").dataset;
    // What the user chose so far, starting from the page as the server drew it (after a
    // refused save it keeps the ticks of the form sent): {key: true} when not ticked.
    var unchecked = {};
    list.querySelectorAll("input[type=checkbox]").forEach(function (input) {
      unchecked[input.value] = !input.checked;
    });
    list.addEventListener("change", function (event) {
      unchecked[event.target.value] = !event.target.checked;
    });
    function item(s) {
      var li = document.createElement("li");
      li.className = "list-group-item small";
      li.dataset.key = s.key;
      var label = document.createElement("label");
      label.className = "form-check-label";
      var box = document.createElement("input");
      box.type = "checkbox";
      box.className = "form-check-input me-1";
      box.value = s.key;
      label.append(box);
      var seen = document.createElement("input");
      seen.type = "hidden";
      seen.name = "cite_seen";
      seen.value = s.key;
      li.append(seen);
      if (s.document) {
        box.name = "cite_link";
        box.checked = !unchecked[s.key];
        var a = document.createElement("a");
        a.href = s.document.url; a.target = "_blank"; a.textContent = s.document.label;
        label.append(labels.link + ": ", a);
        li.append(label);
      } else {
        box.name = "cite_create";
        box.checked = unchecked[s.key] === false;
        label.append(labels.create + ": " + s.citation);
        var open = document.createElement("a");
        open.href = s.create_url; open.target = "_blank"; open.textContent = labels.open;
        li.append(label, " — " + labels.missing + " (", open, ")");
      }
      return li;
    }
    var asked = 0;  // answers can overtake each other: only the latest question's counts
    var refresh = debounce(function () {
      var question = ++asked;
      fetch(box.dataset.url, {
        method: "POST",
        credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRFToken": csrf ? csrf.value : ""},
        body: JSON.stringify({texts: sources.map(function (s) { return s.value; })})
      }).then(function (r) { return r.ok ? r.json() : null; }).then(function (found) {
        if (!found || question !== asked) { return; }
        list.replaceChildren();
        if (!found.length) {
          var none = document.createElement("li");
          none.className = "list-group-item small text-muted";
          none.textContent = labels.empty;
          list.append(none);
        }
        found.forEach(function (s) { list.append(item(s)); });
      });
    }, 400);
    sources.forEach(function (s) { s.addEventListener("input", refresh); });
  });
})();
