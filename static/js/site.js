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

// On a phone the filter panel starts folded so the results are on the first screen.
// (Without JavaScript it stays open, which works too.)
document.addEventListener("DOMContentLoaded", () => {
  const panel = document.querySelector(".filters__panel");
  if (panel && window.matchMedia("(max-width: 59.99rem)").matches) {
    panel.open = false;
  }
});

// Keep shared addresses short: leave out empty fields and the default sort order, so ticking
// "GA" gives /features/?status=ga rather than /features/?q=&status=ga&sort=status.
document.addEventListener("htmx:configRequest", (event) => {
  const data = event.detail.formData;
  if (!data || event.detail.verb !== "get") {
    return;
  }
  const sort = document.getElementById("id_sort");
  const defaultSort = sort ? sort.dataset.default : null;
  for (const name of Array.from(new Set(data.keys()))) {
    const kept = data.getAll(name).filter(
      (value) => value !== "" && !(name === "sort" && value === defaultSort),
    );
    data.delete(name);
    kept.forEach((value) => data.append(name, value));
  }
});
