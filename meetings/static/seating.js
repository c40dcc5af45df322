// The seating plan editor: click a seat, then another to move or swap (the server locks both);
// with one seat chosen, lock, unlock or empty it. No libraries.
(function () {
  "use strict";
  var form = document.getElementById("seat-form");
  if (!form) { return; }
  var source = document.getElementById("seat-source");
  var target = document.getElementById("seat-target");
  var action = document.getElementById("seat-action");
  var selection = document.getElementById("selection");
  var chosen = null;

  function show(name, visible) {
    form.querySelector("[data-action=" + name + "]").hidden = !visible;
  }

  function choose(seat) {
    if (chosen) { chosen.classList.remove("selected"); }
    chosen = seat;
    var taken = seat && seat.classList.contains("taken");
    var locked = taken && seat.dataset.locked === "1";
    if (seat) {
      seat.classList.add("selected");
      var text = seat.dataset.seat.replace(/^0-/, "★ ").replace("-", " · ");
      selection.textContent = taken
        ? text + ": " + seat.dataset.name + (seat.dataset.position ? " — " + seat.dataset.position : "")
        : text;
    } else {
      selection.textContent = selection.dataset.empty;
    }
    show("lock", taken && !locked);
    show("unlock", locked);
    show("clear", taken);
    show("cancel", !!seat);
  }

  function submit(kind, from, to) {
    action.value = kind;
    source.value = from;
    target.value = to || "";
    form.submit();
  }

  document.querySelectorAll("button.seat").forEach(function (seat) {
    seat.addEventListener("click", function () {
      if (!chosen) { choose(seat); return; }
      if (chosen === seat) { choose(null); return; }
      if (!chosen.classList.contains("taken") && !seat.classList.contains("taken")) {
        choose(seat);
        return;
      }
      // Move whoever sits at the first seat; from an empty seat, bring the second one there.
      if (chosen.classList.contains("taken")) {
        submit("move", chosen.dataset.seat, seat.dataset.seat);
      } else {
        submit("move", seat.dataset.seat, chosen.dataset.seat);
      }
    });
  });

  form.querySelectorAll("[data-action]").forEach(function (button) {
    button.addEventListener("click", function () {
      if (button.dataset.action === "cancel") { choose(null); return; }
      if (chosen) { submit(button.dataset.action, chosen.dataset.seat); }
    });
  });

  var preselected = document.querySelector("button.seat.selected");
  if (preselected) { choose(preselected); }
})();
