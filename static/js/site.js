// Progressive enhancement only: every page works without this file.
"use strict";

// When htmx replaces the element that had keyboard focus (a removed filter chip, "clear all"),
// move focus to the results instead of letting it fall back to the top of the page.
document.addEventListener("htmx:afterSettle", () => {
  const active = document.activeElement;
  if (active && active !== document.body) {
    return;
  }
  const results = document.getElementById("results");
  if (results) {
    results.focus({ preventScroll: true });
  }
});
