// The open-case form's patient lookup: Enter in the search box and its Find button look the
// patient up in place (htmx, as typing does) instead of sending the whole form. Without
// JavaScript both send the form, which comes back as typed with the patients found.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("id_choice-find");
  const find = document.getElementById("patient-find");
  if (!box || !find || !window.htmx) return;
  const lookUp = (event) => {
    event.preventDefault();
    window.htmx.trigger(box, "search");
  };
  box.addEventListener("keydown", (event) => {
    if (event.key === "Enter") lookUp(event);
  });
  find.addEventListener("click", lookUp);
});
