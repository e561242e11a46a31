// Initialise GOV.UK Frontend components (ES module; no inline scripts, CSP-safe).
// Loaded with <script type="module">, so it only runs in browsers that support
// ES modules - the same test GOV.UK Frontend's own inline snippet uses to decide
// on the `govuk-frontend-supported` class.
import { initAll } from "../govuk/govuk-frontend.min.js";

// GOV.UK Frontend marks a radio that reveals more questions with aria-expanded, which
// ARIA does not allow on a radio (axe: aria-allowed-attr, critical). aria-controls
// stays, linking the radio to what it reveals. The attribute is removed whenever the
// script sets it: on start, on each click and when the page is shown again.
const RADIO = 'input[type="radio"]';
new MutationObserver((records) => {
  for (const { target } of records) {
    if (target.matches(RADIO) && target.hasAttribute("aria-expanded")) {
      target.removeAttribute("aria-expanded");
    }
  }
}).observe(document.body, { subtree: true, attributes: true, attributeFilter: ["aria-expanded"] });

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
