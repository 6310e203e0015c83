// The comparison editor, enhanced: add columns and rows without saving first, move them with
// buttons, keep headings in step, grow text boxes with their text. Without this script the same
// form saves, and the order fields set the order.
"use strict";

function enhanceComparisonGrid() {
  const columnsGroup = document.querySelector("[data-grid-columns]");
  const rowsGroup = document.querySelector("[data-grid-rows]");
  if (!columnsGroup || !rowsGroup) {
    return;
  }
  const columnList = columnsGroup.querySelector("[data-column-list]");
  const rowList = rowsGroup.querySelector("[data-row-list]");
  const growsByItself = window.CSS && CSS.supports("field-sizing", "content");

  const totalForms = (group) =>
    group.querySelector(`input[name="${group.dataset.prefix}-TOTAL_FORMS"]`);
  const columns = () => [...columnList.querySelectorAll(":scope > [data-column]")];
  const rows = () => [...rowList.querySelectorAll(":scope > [data-row]")];
  const orderInput = (item) => item.querySelector('input[name$="-order"]');

  function grow(textarea) {
    if (growsByItself) {
      return;
    }
    textarea.style.height = "auto";
    const borders = textarea.offsetHeight - textarea.clientHeight;
    textarea.style.height = `${textarea.scrollHeight + borders}px`;
  }

  function fromTemplate(template, replacements) {
    let html = template.innerHTML;
    for (const [placeholder, value] of Object.entries(replacements)) {
      html = html.split(placeholder).join(value);
    }
    const holder = document.createElement("div");
    holder.innerHTML = html.trim();
    return holder.firstElementChild;
  }

  function columnName(column) {
    const english = column.querySelector('input[name$="-label_en"]').value.trim();
    const japanese = column.querySelector('input[name$="-label_ja"]').value.trim();
    return english || japanese || columnsGroup.dataset.newLabel;
  }

  function showColumnName(column) {
    const name = columnName(column);
    for (const element of rowList.querySelectorAll(`[data-column-name="${column.dataset.slot}"]`)) {
      element.textContent = name;
    }
  }

  function showRowTitle(row) {
    const english = row.querySelector('input[name$="-label_en"]').value.trim();
    const japanese = row.querySelector('input[name$="-label_ja"]').value.trim();
    row.querySelector("[data-row-title]").textContent =
      english || japanese || rowsGroup.dataset.newLabel;
  }

  function renumber(items) {
    items.forEach((item, position) => {
      orderInput(item).value = position;
    });
  }

  // Each row card lists its cells in the columns' order.
  function arrangeCells() {
    const slots = columns().map((column) => column.dataset.slot);
    for (const row of rows()) {
      const cells = row.querySelector("[data-cells]");
      for (const slot of slots) {
        const line = cells.querySelector(`:scope > [data-cell-line][data-slot="${slot}"]`);
        if (line) {
          cells.append(line);
        }
      }
    }
  }

  function addCellLine(row, column) {
    const template = rowsGroup.querySelector("[data-cell-template]");
    const line = fromTemplate(template, {
      __prefix__: row.dataset.slot,
      __slot__: column.dataset.slot,
    });
    row.querySelector("[data-cells]").append(line);
    for (const element of line.querySelectorAll("[data-column-name]")) {
      element.textContent = columnName(column);
    }
  }

  function nextOrder(items) {
    const orders = items.map((item) => Number.parseInt(orderInput(item).value, 10) || 0);
    return orders.length ? Math.max(...orders) + 1 : 0;
  }

  function addColumn() {
    const total = totalForms(columnsGroup);
    const index = Number.parseInt(total.value, 10);
    if (index >= Number.parseInt(columnsGroup.dataset.max, 10)) {
      return;
    }
    const order = nextOrder(columns());
    const column = fromTemplate(columnsGroup.querySelector("[data-column-template]"), {
      __prefix__: String(index),
    });
    enhance(column);
    columnList.append(column);
    orderInput(column).value = order;
    total.value = index + 1;
    for (const row of rows()) {
      addCellLine(row, column);
    }
    column.querySelector('input[name$="-label_en"]').focus();
  }

  function addRow() {
    const total = totalForms(rowsGroup);
    const index = Number.parseInt(total.value, 10);
    if (index >= Number.parseInt(rowsGroup.dataset.max, 10)) {
      return;
    }
    const order = nextOrder(rows());
    const row = fromTemplate(rowsGroup.querySelector("[data-row-template]"), {
      __prefix__: String(index),
    });
    enhance(row);
    rowList.append(row);
    orderInput(row).value = order;
    total.value = index + 1;
    for (const column of columns()) {
      addCellLine(row, column);
    }
    row.querySelector('input[name$="-label_en"]').focus();
  }

  function move(item, items, step) {
    const position = items.indexOf(item);
    const target = items[position + step];
    if (!target) {
      return false;
    }
    if (step < 0) {
      target.before(item);
    } else {
      target.after(item);
    }
    return true;
  }

  function enhance(root) {
    for (const element of root.querySelectorAll("[data-js-only]")) {
      element.hidden = false;
    }
  }

  columnsGroup.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) {
      return;
    }
    if (button.matches("[data-add-column]")) {
      addColumn();
    } else if (button.matches("[data-move]")) {
      const column = button.closest("[data-column]");
      if (move(column, columns(), Number(button.dataset.move))) {
        renumber(columns());
        arrangeCells();
        button.focus();
      }
    }
  });

  rowsGroup.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) {
      return;
    }
    if (button.matches("[data-add-row]")) {
      addRow();
    } else if (button.matches("[data-move]")) {
      const row = button.closest("[data-row]");
      if (move(row, rows(), Number(button.dataset.move))) {
        renumber(rows());
        button.focus();
      }
    }
  });

  columnsGroup.addEventListener("input", (event) => {
    const column = event.target.closest("[data-column]");
    if (column && event.target.matches('input[name$="-label_en"], input[name$="-label_ja"]')) {
      showColumnName(column);
    }
  });

  rowsGroup.addEventListener("input", (event) => {
    if (event.target.matches("textarea.grid-cell")) {
      grow(event.target);
      return;
    }
    const row = event.target.closest("[data-row]");
    if (row && event.target.matches('input[name$="-label_en"], input[name$="-label_ja"]')) {
      showRowTitle(row);
    }
  });

  // A ticked "Delete" dims its card, so what will go is visible before saving.
  for (const group of [columnsGroup, rowsGroup]) {
    group.addEventListener("change", (event) => {
      if (event.target.matches('input[name$="-DELETE"]')) {
        event.target.closest("[data-column], [data-row]").classList.toggle(
          "is-deleted",
          event.target.checked,
        );
      }
    });
  }

  for (const group of [columnsGroup, rowsGroup]) {
    group.classList.add("grid-enhanced");
    enhance(group.querySelector("fieldset"));
  }
  for (const textarea of rowList.querySelectorAll("textarea.grid-cell")) {
    grow(textarea);
  }
}

// Admin media load in the page's head, before the form exists.
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", enhanceComparisonGrid);
} else {
  enhanceComparisonGrid();
}
