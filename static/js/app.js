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

// The main menu's groups are <details>: opening one closes the others, and Escape or a click
// elsewhere closes them all. Without JavaScript they still open and close on their own.
const navGroups = () => document.querySelectorAll(".nav-group details[open]");
document.addEventListener(
  "toggle",
  (event) => {
    const opened = event.target;
    if (!(opened instanceof HTMLDetailsElement) || !opened.open || !opened.closest(".nav-group")) {
      return;
    }
    navGroups().forEach((group) => {
      if (group !== opened) group.open = false;
    });
  },
  true,
);
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  navGroups().forEach((group) => {
    group.open = false;
    group.querySelector("summary").focus();
  });
});
document.addEventListener("click", (event) => {
  if (event.target instanceof Element && event.target.closest(".nav-group")) return;
  navGroups().forEach((group) => {
    group.open = false;
  });
});
