// Progress of an import of past audits: polls the job's status every 2 seconds while it
// runs, updates the progress bar and the text (an aria-live region), and reloads the
// page when the job has finished so the summary or the errors show. Without JavaScript
// the page offers a "Refresh" link instead.
(function () {
  "use strict";

  var POLL_MS = 2000;
  var RETRY_MS = 10000;
  var region = document.querySelector("[data-import-status-url]");
  if (!region || !window.fetch) {
    return;
  }
  var url = region.getAttribute("data-import-status-url");
  var bar = region.querySelector("progress");
  var text = region.querySelector("[data-import-progress-text]");
  var refresh = region.querySelector("[data-import-refresh]");
  var tag = document.querySelector("[data-import-status] .govuk-tag");
  var failures = 0;

  function number(value) {
    return Number(value).toLocaleString("en-GB");
  }

  function show(status) {
    if (bar) {
      bar.value = status.percent_done;
      bar.textContent = status.percent_done + "%";
    }
    if (tag && status.status_label) {
      tag.textContent = status.status_label;
    }
    if (text) {
      var message = status.status === "running" ? "Reading the file" : "Waiting to start";
      if (status.total_rows) {
        message =
          "Checked " + number(status.processed_rows) + " of " + number(status.total_rows) + " rows";
        if (status.processed_rows === status.total_rows && !status.dry_run) {
          message += ". Saving the audits\u2026";
        }
      }
      if (text.textContent.trim() !== message) {
        text.textContent = message;
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
        if (status.finished) {
          window.location.reload();
          return;
        }
        show(status);
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
