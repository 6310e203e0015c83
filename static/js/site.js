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

// A search is one history entry, however many pauses the typing has: the first request of a
// search pushes the address, the following ones replace it, until the reader leaves the box.
const searchBox = () => document.getElementById("id_q");
document.addEventListener("htmx:afterRequest", (event) => {
  const box = searchBox();
  if (box && event.detail.elt === box && event.detail.successful) {
    box.removeAttribute("hx-push-url");
    box.setAttribute("hx-replace-url", "true");
  }
});
document.addEventListener("focusout", (event) => {
  if (event.target === searchBox()) {
    event.target.removeAttribute("hx-replace-url");
    event.target.setAttribute("hx-push-url", "true");
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
