// On a phone a page's filters fold away behind their button, so what they filter comes
// first; without JavaScript, on a wider screen, or with a refused value to correct, they
// stay open.
document.addEventListener("DOMContentLoaded", () => {
  if (!window.matchMedia("(max-width: 767.98px)").matches) return;
  for (const fold of document.querySelectorAll("details.filters-fold")) {
    if (!fold.querySelector(".invalid-feedback")) fold.open = false;
  }
});
