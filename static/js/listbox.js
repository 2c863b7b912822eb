// The list of matches under a search box (the ARIA combobox pattern), shared by the diagnosis
// and person pickers: closing it, and marking the option the arrow keys reached.
window.listbox = {
  close(input, matches) {
    matches.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  },

  highlight(input, matches, index) {
    matches.querySelectorAll("[role=option]").forEach((option, at) => {
      const on = at === index;
      option.setAttribute("aria-selected", on ? "true" : "false");
      option.classList.toggle("active", on);
      if (on) {
        input.setAttribute("aria-activedescendant", option.id);
        option.scrollIntoView({ block: "nearest" });
      }
    });
  },
};
