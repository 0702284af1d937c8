// GOV.UK Frontend's behaviours, only for the components this service uses that have one
// (the macros set data-module on them). pwa/build.mjs bundles this with esbuild, leaving out
// the rest of GOV.UK Frontend (accordion, tabs, character count, file upload, password input,
// exit this page): about a third of the whole library. A component added to the service
// whose macro sets a data-module belongs in this list too.
import {
  Button,
  Checkboxes,
  createAll,
  ErrorSummary,
  NotificationBanner,
  Radios,
  ServiceNavigation,
  SkipLink,
} from "govuk-frontend";

const COMPONENTS = [Button, Checkboxes, ErrorSummary, NotificationBanner, Radios, ServiceNavigation, SkipLink];

// GOV.UK Frontend's radios mark a radio that reveals more questions with aria-expanded, which
// the radio role does not allow (axe: aria-allowed-attr, WCAG 4.1.2). The revealed questions
// follow their radio and aria-controls still links them, so the attribute is taken off when
// the radios start and after every change they make.
function withoutExpandedRadios() {
  for (const input of document.querySelectorAll('input[type="radio"][aria-expanded]')) {
    input.removeAttribute("aria-expanded");
  }
}

export function initAll() {
  for (const Component of COMPONENTS) createAll(Component);
  withoutExpandedRadios();
  document.addEventListener("click", withoutExpandedRadios);
  document.addEventListener("change", withoutExpandedRadios);
}
