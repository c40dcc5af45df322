// A job's page: poll its progress every second until it is done or failed, then offer the file.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) { return; }
  var bar = document.getElementById("job-bar");
  var status = document.getElementById("job-status");
  var link = document.getElementById("job-download");
  var stalled = document.getElementById("job-stalled");
  var started = Date.now();

  function show(state) {
    var percent = state.status === "failed" ? 100 : state.percent;
    bar.style.width = percent + "%";
    bar.textContent = state.percent + "%";
    bar.parentElement.setAttribute("aria-valuenow", state.percent);
    document.getElementById("job-done").textContent = state.done;
    document.getElementById("job-total").textContent = state.total === null ? "…" : state.total;
    status.textContent = status.dataset[state.status] + (state.error ? " " + state.error : "");
    stalled.classList.toggle("d-none", state.status !== "queued" || Date.now() - started < 15000);
    if (state.status === "done" || state.status === "failed") {
      bar.classList.remove("progress-bar-striped", "progress-bar-animated");
      bar.classList.toggle("bg-danger", state.status === "failed");
    }
    if (state.download) {
      link.href = state.download;
      link.classList.remove("d-none");
    }
  }

  function poll() {
    fetch(box.dataset.progressUrl, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        show(state);
        if (state.status !== "done" && state.status !== "failed") { setTimeout(poll, 1000); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }

  if (box.dataset.status !== "done" && box.dataset.status !== "failed") { poll(); }
})();
