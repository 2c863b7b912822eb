// On a phone the filters fold away behind their button, so the cases come first; without
// JavaScript, or on a wider screen, they stay open.
document.addEventListener("DOMContentLoaded", () => {
  const fold = document.querySelector(".case-filters-fold");
  if (fold && window.matchMedia("(max-width: 767.98px)").matches) fold.open = false;
});

// Choosing what to export: a box in the table's header ticks every case on the page, and once
// the whole page is ticked a button offers every matching case, on every page (the export
// form's second choice, which sends the filter, not the cases). Without JavaScript both
// choices are there in the form below the table.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("export-form");
  const pageBox = document.getElementById("export-select-page");
  const notice = document.getElementById("export-selection");
  if (!form || !pageBox || !notice) return;
  const boxes = [...document.querySelectorAll("input[data-export-case]")];
  const ticked = document.querySelector("[data-export-ticked]");
  const onPage = document.getElementById("export-scope-selected");
  const all = document.getElementById("export-scope-filter");
  const allLabel = form.dataset.allLabel;
  if (!boxes.length) return;
  pageBox.hidden = false;

  const cases = (count) => `${count} case${count === 1 ? "" : "s"}`;

  function button(text, onClick) {
    const element = document.createElement("button");
    element.type = "button";
    element.className = "btn btn-link btn-sm p-0 align-baseline";
    element.textContent = text;
    element.addEventListener("click", onClick);
    return element;
  }

  function show() {
    const count = boxes.filter((box) => box.checked).length;
    pageBox.checked = count === boxes.length;
    pageBox.indeterminate = count > 0 && count < boxes.length;
    ticked.textContent = count ? `(${count} ticked)` : "";
    notice.replaceChildren();
    if (all.checked) {
      notice.append(`Chosen: ${allLabel}, on every page. `);
      notice.append(button("Choose only the ticked cases", () => { onPage.checked = true; show(); }));
    } else if (count === boxes.length) {
      notice.append(`All ${cases(count)} with a signed certification on this page are ticked. `);
      notice.append(button(`Choose ${allLabel}`, () => { all.checked = true; show(); }));
    }
    notice.hidden = !notice.childNodes.length;
  }

  pageBox.addEventListener("change", () => {
    for (const box of boxes) box.checked = pageBox.checked;
    if (!pageBox.checked) onPage.checked = true;
    show();
  });
  for (const box of boxes) {
    box.addEventListener("change", () => { onPage.checked = true; show(); });
  }
  all.addEventListener("change", () => {
    for (const box of boxes) box.checked = true;
    show();
  });
  onPage.addEventListener("change", show);
  show();
});
