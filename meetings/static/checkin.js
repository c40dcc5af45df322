// Check-in pages, kept out of the HTML for the Content-Security-Policy. Each behaviour is
// switched on by a data attribute of the page.
(function () {
  "use strict";

  // The desk: USB/Bluetooth scanners type into whatever has focus, so on a desk's screen keep
  // it on the scanner input unless the user is working in another form. On a phone (narrow)
  // the search comes first and nothing takes the focus: a focused input opens the keyboard.
  var scan = document.querySelector("[data-scanner-input]");
  var wide = window.matchMedia("(min-width: 768px)").matches;
  if (scan && wide) {
    var refocus = function () {
      var active = document.activeElement;
      if (!active || active === document.body || !active.closest("form:not(#scan-form), details")) {
        scan.focus();
      }
    };
    document.addEventListener("click", function () { setTimeout(refocus, 0); });
    scan.addEventListener("blur", function () { setTimeout(refocus, 150); });
    window.addEventListener("focus", refocus);
    if (scan.dataset.scannerInput !== "wait") { scan.focus(); }
  }

  // A filter that applies as soon as it is ticked.
  document.querySelectorAll("[data-autosubmit]").forEach(function (input) {
    input.addEventListener("change", function () { input.form.requestSubmit(); });
  });

  // A button at the top that opens a folded form further down (the desk's walk-in).
  var openFolded = function (id) {
    var folded = document.getElementById(id);
    if (!folded) { return; }
    folded.open = true;
    var first = folded.querySelector("input:not([type=hidden])");
    if (first) { first.focus(); }
  };
  document.querySelectorAll("[data-opens]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      openFolded(link.dataset.opens);
    });
  });
  if (location.hash === "#walk-in") { openFolded("walk-in"); }

  // The venue screen: a new QR every 30 seconds, and the count of those present.
  var box = document.querySelector("[data-venue-qr]");
  if (box) {
    var countdown = document.getElementById("countdown");
    var present = document.getElementById("present");
    var left = parseInt(countdown.textContent, 10) || 30;
    var refresh = function () {
      fetch(box.dataset.venueQr, {credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (String(data.window) !== box.dataset.window) {
            box.innerHTML = data.svg;
            box.dataset.window = data.window;
          }
          left = data.seconds_left;
          present.textContent = data.phrase;
        })
        .catch(function () {});
    };
    setInterval(function () {
      left -= 1;
      if (left <= 0) { refresh(); left = 30; }
      countdown.textContent = left;
    }, 1000);
    setInterval(refresh, 10000);
  }

  // Live attendance: the body again every 5 seconds.
  var live = document.querySelector("[data-live]");
  if (live) {
    var stamp = document.getElementById("live-updated");
    setInterval(function () {
      fetch(live.dataset.live, {credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (data) {
          live.innerHTML = data.html;
          stamp.textContent = new Date().toLocaleTimeString();
        })
        .catch(function () {});
    }, 5000);
  }
})();
