// Editorial admin: rows added with "Add another" are copies of a hidden template row that htmx
// has not wired up; let it, so their Markdown fields get the live preview too.
"use strict";

document.addEventListener("formset:added", (event) => {
  if (window.htmx) {
    window.htmx.process(event.target);
  }
});
