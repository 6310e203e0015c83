// The static archive's catalog search (manage.py export_site). No server can answer
// /features/?q=…, so this searches the index the export wrote beside the catalog
// (search-index.js, loaded before this file) the way the site's search does: every word must
// appear in a feature's name, area, topic, summary, body or editor's note, in any language.
// Without JavaScript the filters still work: they are links.
"use strict";

(() => {
  const box = document.getElementById("id_q");
  const results = document.getElementById("results");
  const count = document.getElementById("result-count");
  const form = document.getElementById("filters");
  const loaded = window.igniteSearchIndex;
  if (!box || !results || !count || !loaded) {
    return;
  }
  const index = loaded.data;
  const filters = new URLSearchParams(box.dataset.filters || "");
  const chosen = (name) => filters.getAll(name).map((value) => value.toLowerCase());
  const within = (value, allowed) => allowed.length === 0 || allowed.includes(value.toLowerCase());
  // The features this page lists: its filters hold, search or not.
  const candidates = index.features.filter(
    (feature) =>
      within(feature.status, chosen("status")) &&
      within(feature.area, chosen("area")) &&
      within(feature.session, chosen("session")) &&
      within(feature.event, chosen("event")),
  );
  const originalCount = count.textContent;
  let shown = null;

  // As the site folds search text: compatibility forms (ＤＮＳ → DNS), no control or
  // formatting characters, single spaces, any case.
  const fold = (text) =>
    text
      .normalize("NFKC")
      .replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}]/gu, "")
      .replace(/\s+/gu, " ")
      .trim()
      .toLowerCase();

  const element = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text) {
      node.textContent = text;
    }
    return node;
  };

  const card = (feature) => {
    const article = element("article", "feature-card");
    const title = element("h2", "feature-card__title");
    const link = element("a", "", feature.name);
    link.href = new URL(feature.url, loaded.base).href;
    if (feature.nameLang) {
      link.lang = feature.nameLang;
    }
    title.append(link);
    const meta = element("p", "meta");
    const status = element("span", `status status--${feature.status}`);
    const shape = element("span", "status__shape");
    shape.setAttribute("aria-hidden", "true");
    status.append(shape, feature.statusLabel);
    const area = element("span", "meta__item", feature.topic ? `${feature.areaLabel} · ${feature.topic}` : feature.areaLabel);
    meta.append(status, " ", area);
    if (feature.sessionCode) {
      meta.append(" ", element("span", "meta__item session-code", feature.sessionCode));
    }
    const summary = element("div", "feature-card__summary");
    summary.append(element("p", "", feature.summary));
    article.append(title, meta, summary);
    const item = element("li");
    item.append(article);
    return item;
  };

  const show = (matches, problem) => {
    const found = element("div", "results");
    found.id = "archive-search-results";
    if (problem) {
      const notice = element("div", "notice notice--problem");
      notice.setAttribute("role", "alert");
      notice.append(element("p", "", problem));
      found.append(notice);
    } else if (matches.length) {
      const list = element("ol", "feature-list");
      list.append(...matches.map(card));
      found.append(list);
    } else {
      const empty = element("div", "empty-state");
      empty.append(element("h2", "", index.noMatch), element("p", "", index.noMatchHint));
      found.append(empty);
    }
    if (shown) {
      shown.replaceWith(found);
    } else {
      results.after(found);
    }
    shown = found;
    results.hidden = true;
    count.textContent = problem ? "" : index.counts[matches.length];
  };

  const clear = () => {
    if (shown) {
      shown.remove();
      shown = null;
    }
    results.hidden = false;
    count.textContent = originalCount;
  };

  const search = () => {
    const words = fold(box.value.slice(0, index.maxLength)).split(" ").filter(Boolean);
    const address = new URL(window.location.href);
    address.hash = words.length ? `q=${encodeURIComponent(box.value)}` : "";
    window.history.replaceState(null, "", address.href);
    if (!words.length) {
      clear();
    } else if (words.length > index.maxWords) {
      show([], index.tooManyWords);
    } else {
      show(candidates.filter((feature) => words.every((word) => feature.text.includes(word))));
    }
  };

  // An input method (Japanese) composes words first: search once they are confirmed.
  let composing = false;
  box.addEventListener("compositionstart", () => {
    composing = true;
  });
  box.addEventListener("compositionend", () => {
    composing = false;
    search();
  });
  box.addEventListener("input", () => {
    if (!composing) {
      search();
    }
  });
  // Enter and the Search button would submit to a server that is not there.
  if (form) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      search();
    });
  }

  const shared = new URLSearchParams(window.location.hash.slice(1)).get("q");
  if (shared) {
    box.value = shared;
    search();
  }
})();
