// On a phone the filters fold away behind their button, so the cases come first; without
// JavaScript, or on a wider screen, they stay open.
document.addEventListener("DOMContentLoaded", () => {
  const fold = document.querySelector(".case-filters-fold");
  if (fold && window.matchMedia("(max-width: 767.98px)").matches) fold.open = false;
});
