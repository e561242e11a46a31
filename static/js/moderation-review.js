// The review screen: show "Agreed", "Upgraded" or "Downgraded" as the moderator
// chooses grades. The page says the same without JavaScript once it is saved.
(function () {
  "use strict";
  var RANK = { outstanding: 4, good: 3, requires_improvement: 2, inadequate: 1 };

  function outcome(original, chosen) {
    if (!chosen) {
      return "Not decided";
    }
    var before = RANK[original];
    var after = RANK[chosen];
    if (!before || !after || before === after) {
      return "Agreed";
    }
    return after > before ? "Upgraded" : "Downgraded";
  }

  var form = document.querySelector("[data-app-review-form]");
  if (!form) {
    return;
  }
  form.addEventListener("change", function (event) {
    var input = event.target;
    if (input.type !== "radio") {
      return;
    }
    var group = input.closest("[data-app-grade-group]");
    if (!group) {
      return;
    }
    var text = outcome(group.getAttribute("data-app-original"), input.value);
    var line = group.querySelector("[data-app-outcome]");
    if (line) {
      line.textContent = text;
    }
    var summary = document.querySelector('[data-app-outcome-for="' + input.name + '"]');
    if (summary) {
      summary.textContent = text;
    }
  });
})();
