// Progress of a report being generated: polls the run's status every 1.5 seconds, moves
// the progress bar and says the step in words (an aria-live region). When the run has
// finished it goes where the status says: the new version of the report, or back to the
// run's page to say that nothing changed or why it failed. Without JavaScript the page
// offers a "Refresh" link instead.
(function () {
  "use strict";

  var POLL_MS = 1500;
  var RETRY_MS = 10000;
  var region = document.querySelector("[data-run-status-url]");
  if (!region || !window.fetch) {
    return;
  }
  var url = region.getAttribute("data-run-status-url");
  var bar = region.querySelector("progress");
  var step = region.querySelector("[data-run-step]");
  var refresh = region.querySelector("[data-run-refresh]");
  var failures = 0;

  function show(status) {
    if (bar) {
      bar.value = status.progress;
      bar.textContent = status.progress + "%";
    }
    if (step) {
      var text = status.step || (status.status === "running" ? "Counting the figures" : "Waiting to start");
      if (step.textContent.trim() !== text) {
        step.textContent = text;
      }
    }
  }

  function poll() {
    window
      .fetch(url, {
        credentials: "same-origin",
        cache: "no-store",
        headers: { Accept: "application/json" },
      })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (status) {
        failures = 0;
        show(status);
        if (status.finished && status.url) {
          window.location.assign(status.url);
          return;
        }
        window.setTimeout(poll, POLL_MS);
      })
      .catch(function () {
        failures += 1;
        if (refresh) {
          refresh.hidden = false;
        }
        if (failures < 30) {
          window.setTimeout(poll, RETRY_MS);
        }
      });
  }

  if (refresh) {
    refresh.hidden = true;
  }
  window.setTimeout(poll, POLL_MS);
})();
