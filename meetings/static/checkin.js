// Check-in pages, kept out of the HTML for the Content-Security-Policy. Each behaviour is
// switched on by a data attribute of the page.
(function () {
  "use strict";

  // The desk: USB/Bluetooth scanners type into whatever has focus, so keep it on the scanner
  // input unless the user is working in another form.
  var scan = document.querySelector("[data-scanner-input]");
  if (scan) {
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
