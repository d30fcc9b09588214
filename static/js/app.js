// The few behaviours that need JavaScript; every page works without it (the
// Content-Security-Policy allows scripts only from our own static files, never inline).
"use strict";

// A <select data-autosubmit> sends its form as soon as a choice is made; a <noscript>
// button beside it does the same without JavaScript.
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLSelectElement && field.dataset.autosubmit !== undefined && field.form) {
    field.form.requestSubmit();
  }
});
