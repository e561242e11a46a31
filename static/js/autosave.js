// Autosave for the audit form's section pages (progressive enhancement).
//
// Every change is posted to the form's data-autosave-url: after a pause in typing, when
// a field is left, and when the page is hidden or closed (with keepalive, so the request
// outlives the page). Saves run one at a time, each sending the lock_version the last
// one returned. Offline, the changes stay on the page and are sent when the connection
// returns. Without JavaScript the page's own buttons save everything.
(function () {
  "use strict";

  // Conditional reveals, in GOV.UK's markup: the questions under an option show while it
  // is chosen. Without JavaScript they are always shown.
  function syncReveals() {
    var inputs = document.querySelectorAll("[data-app-reveal] input[aria-controls]");
    Array.prototype.forEach.call(inputs, function (input) {
      var target = document.getElementById(input.getAttribute("aria-controls"));
      if (target) {
        var kind = target.classList.contains("govuk-checkboxes__conditional") ? "checkboxes" : "radios";
        target.classList.toggle("govuk-" + kind + "__conditional--hidden", !input.checked);
      }
    });
  }
  syncReveals();
  document.addEventListener("change", syncReveals);
  window.addEventListener("pageshow", syncReveals);
})();

(function () {
  "use strict";

  var form = document.querySelector("form[data-autosave-url]");
  if (!form || !window.fetch || !window.FormData || !window.URLSearchParams) {
    return;
  }
  var url = form.getAttribute("data-autosave-url");
  var status = form.querySelector(".app-autosave-status");
  var lockInput = form.querySelector("input[name='lock_version']");
  var TYPING_PAUSE = 1500;
  var RETRY_AFTER = 30000;

  var edits = 0; // changes made on the page
  var savedEdits = 0; // changes the server has
  var timer = null;
  var retryTimer = null;
  var inFlight = null;
  var stopped = false; // a conflict or a closed audit: saving again cannot work
  var submitting = false;
  var holding = false; // the page is being posted: no more autosaves
  var leaveAnyway = null; // a link followed again after its save failed

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  // The state, for styles and tests: dirty, saving, saved or failed.
  function mark(state) {
    form.setAttribute("data-autosave-state", state);
  }

  function dirty() {
    return edits !== savedEdits;
  }

  function body() {
    var data = new FormData(form);
    return new URLSearchParams(data);
  }

  // The list of sections beside the form, as the server sees the audit after a save.
  function showStatuses(sections) {
    sections.forEach(function (section) {
      var cell = document.getElementById("nav-" + section.key + "-status");
      if (!cell) {
        return;
      }
      cell.textContent = "";
      if (!section["class"]) {
        cell.textContent = section.status;
        return;
      }
      var tag = document.createElement(section["class"].indexOf("govuk-tag") === -1 ? "span" : "strong");
      tag.className = section["class"];
      tag.textContent = section.status;
      cell.appendChild(tag);
    });
  }

  function firstError(errors) {
    for (var key in errors) {
      if (Object.prototype.hasOwnProperty.call(errors, key)) {
        return errors[key];
      }
    }
    return "";
  }

  function handle(response) {
    var type = response.headers.get("Content-Type") || "";
    if (response.redirected || type.indexOf("application/json") === -1) {
      stopped = true;
      say("Not saved: you have been signed out. Copy anything you have written, then sign in again.");
      return false;
    }
    return response.json().then(function (data) {
      if (response.ok && data.saved) {
        if (lockInput) {
          lockInput.value = data.lock_version;
        }
        say("Saved at " + data.saved_at);
        showStatuses(data.sections || []);
        return true;
      }
      if (response.status === 400 && data.errors) {
        say("Not saved: " + firstError(data.errors));
        return false;
      }
      stopped = true;
      say("Not saved: " + (data.error || "something went wrong. Use the buttons to save."));
      return false;
    });
  }

  function retryLater() {
    if (retryTimer) {
      return;
    }
    retryTimer = window.setTimeout(function () {
      retryTimer = null;
      save();
    }, RETRY_AFTER);
  }

  // Send the page as it is now. Resolves true when the server has every change.
  function save(options) {
    options = options || {};
    if (timer) {
      window.clearTimeout(timer);
      timer = null;
    }
    if (holding) {
      return Promise.resolve(false);
    }
    if (inFlight) {
      // One save at a time: the next one needs the lock_version this one returns.
      return inFlight.then(function () {
        return dirty() && !stopped ? save(options) : !dirty();
      });
    }
    if (!dirty() || stopped) {
      return Promise.resolve(!dirty());
    }
    var sending = edits;
    say("Saving…");
    mark("saving");
    inFlight = window
      .fetch(url, {
        method: "POST",
        body: body(),
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-Requested-With": "fetch" },
        keepalive: Boolean(options.keepalive),
      })
      .then(handle)
      .then(
        function (ok) {
          if (ok) {
            savedEdits = sending;
          }
          return ok;
        },
        function () {
          say("Not saved: you appear to be offline. We will try again.");
          retryLater();
          return false;
        }
      )
      .then(function (ok) {
        inFlight = null;
        mark(ok ? (dirty() ? "dirty" : "saved") : "failed");
        return ok && !dirty();
      });
    return inFlight;
  }

  function changed() {
    edits += 1;
    mark("dirty");
    if (timer) {
      window.clearTimeout(timer);
    }
    timer = window.setTimeout(save, TYPING_PAUSE);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", function () {
    changed();
    save();
  });
  form.addEventListener("focusout", function () {
    if (dirty()) {
      save();
    }
  });

  window.addEventListener("online", function () {
    if (dirty()) {
      save();
    }
  });

  function leaving() {
    if (dirty() && !submitting && !stopped) {
      save({ keepalive: true });
    }
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      leaving();
    }
  });
  window.addEventListener("pagehide", leaving);

  // A page brought back by the browser's Back button holds the version it was left at;
  // later pages have saved since, so load it afresh.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      window.location.reload();
    }
  });

  // Resolves when no save is under way.
  function settled() {
    return inFlight ? inFlight.then(settled, settled) : Promise.resolve();
  }

  // The buttons post the page themselves: first let any save under way finish, so the
  // post carries the lock_version it returned.
  form.addEventListener("submit", function (event) {
    if (submitting) {
      return;
    }
    if (!inFlight && !timer) {
      submitting = true;
      return;
    }
    event.preventDefault();
    var submitter = event.submitter;
    holding = true;
    if (timer) {
      window.clearTimeout(timer);
      timer = null;
    }
    settled().then(function () {
      submitting = true;
      if (form.requestSubmit) {
        form.requestSubmit(submitter || undefined);
      } else {
        if (submitter && submitter.name) {
          var hidden = document.createElement("input");
          hidden.type = "hidden";
          hidden.name = submitter.name;
          hidden.value = submitter.value;
          form.appendChild(hidden);
        }
        form.submit();
      }
    });
  });

  // Links to other pages wait for the save, so the next page loads what was typed.
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href]") : null;
    if (!link || link.target || event.defaultPrevented || event.button !== 0) {
      return;
    }
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    if (link.origin !== window.location.origin || link.hash && link.pathname === window.location.pathname) {
      return;
    }
    if ((!dirty() && !inFlight) || leaveAnyway === link.href) {
      return;
    }
    event.preventDefault();
    save().then(function (ok) {
      if (ok) {
        submitting = true;
        window.location.href = link.href;
      } else {
        leaveAnyway = link.href;
        say(status.textContent + " Select the link again to leave without saving.");
      }
    });
  });

  // An error link from the check page names a field: show its question and move focus
  // to it, as GOV.UK's error summary does for links on the same page.
  if (window.location.hash.length > 1) {
    var target = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
    if (target && form.contains(target) && typeof target.focus === "function") {
      var fieldset = target.closest("fieldset");
      var caption = null;
      if (fieldset && (target.type === "radio" || target.type === "checkbox" || target.closest(".govuk-date-input"))) {
        caption = fieldset.querySelector("legend");
      } else {
        caption = document.querySelector("label[for='" + target.id + "']");
      }
      if (caption) {
        caption.scrollIntoView();
      }
      target.focus({ preventScroll: Boolean(caption) });
    }
  }
})();
