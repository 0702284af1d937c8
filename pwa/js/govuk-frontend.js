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

export function initAll() {
  for (const Component of COMPONENTS) createAll(Component);
}
