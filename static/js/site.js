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

// A filter chip replaces the whole catalog, filter panel included: keep the panel folded or
// unfolded as the reader left it (on a phone it starts folded, see catalog.html).
let panelWasOpen = null;
document.addEventListener("htmx:beforeSwap", (event) => {
  const panel = document.querySelector(".filters__panel");
  panelWasOpen = event.detail.target.id === "catalog" && panel ? panel.open : null;
});
document.addEventListener("htmx:afterSwap", () => {
  const panel = document.querySelector(".filters__panel");
  if (panel && panelWasOpen !== null) {
    panel.open = panelWasOpen;
  }
  panelWasOpen = null;
});

// Typing Japanese (or any language with an input method) goes through a composition: wait for
// the reader to confirm the words before searching (the search box also searches on
// compositionend). Listening in the capture phase puts these before htmx's own handlers.
let composing = false;
document.addEventListener("compositionstart", () => {
  composing = true;
}, true);
document.addEventListener("compositionend", () => {
  composing = false;
}, true);
document.addEventListener("htmx:confirm", (event) => {
  if (composing && event.detail.elt.id === "id_q") {
    event.preventDefault();
  }
});

// History: one entry per use of a control. The first update from a control marked
// data-one-history-entry pushes the address; its next updates, until the reader leaves it,
// replace that entry (a search typed with pauses, sort orders tried with the arrow keys). An
// update that would push the address already shown replaces it instead (Enter or the Search
// button after the search has run), so that Back always goes somewhere.
let controlInUse = null;
document.addEventListener("htmx:beforeHistoryUpdate", (event) => {
  const update = event.detail.history;
  const control = event.detail.requestConfig ? event.detail.requestConfig.elt : null;
  if (update.type !== "push") {
    return;
  }
  const shown = location.pathname + location.search;
  const sameUse = control && control === controlInUse && control === document.activeElement;
  if (update.path === shown || sameUse) {
    update.type = "replace";
  }
  controlInUse = control && control.matches("[data-one-history-entry]") ? control : null;
});
document.addEventListener("focusout", (event) => {
  if (event.target === controlInUse) {
    controlInUse = null;
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
