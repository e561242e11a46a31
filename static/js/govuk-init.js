// Initialise GOV.UK Frontend components (ES module; no inline scripts, CSP-safe).
// Loaded with <script type="module">, so it only runs in browsers that support
// ES modules - the same test GOV.UK Frontend's own inline snippet uses to decide
// on the `govuk-frontend-supported` class.
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
