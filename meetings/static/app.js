// Behaviour every page may use, declared in the markup (the Content-Security-Policy forbids
// inline scripts and on…= handlers):
//   <form data-confirm="Withdraw every invitation?">  asks before submitting
//   <button data-print>                               prints the page
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var message = event.target.dataset && event.target.dataset.confirm;
    if (message && !window.confirm(message)) event.preventDefault();
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) window.print();
  });
})();
