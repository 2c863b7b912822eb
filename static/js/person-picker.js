// The case list's person boxes (input[data-person-picker]): as one types, the people one may
// filter by whose names start with the words typed are listed under the box
// (data-search-url answers {results: [{id, name}]}); picking one keeps their key in the hidden
// input named by data-key-input, so two people of one name stay apart. Typing again drops the
// key. Without JavaScript the name typed is sent and the list shows everyone so named.
// Keyboard: Down/Up through the names, Enter to pick, Escape to close (the ARIA combobox).
(() => {
  const WAIT_MS = 200;

  function picker(input) {
    const key = document.getElementById(input.dataset.keyInput);
    const url = input.dataset.searchUrl;
    const matches = document.createElement("ul");
    matches.id = `${input.id}-matches`;
    matches.className = "person-matches list-group";
    matches.setAttribute("role", "listbox");
    matches.setAttribute("aria-label", "Matching names");
    matches.hidden = true;
    const wrapper = document.createElement("div");
    wrapper.className = "person-search";
    input.replaceWith(wrapper);
    wrapper.append(input, matches);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", matches.id);

    let results = [];
    let active = -1;
    let timer = 0;
    let pending = null;

    function close() {
      window.listbox.close(input, matches);
      active = -1;
    }

    function highlight(index) {
      window.listbox.highlight(input, matches, index);
      active = index;
    }

    function pick(person) {
      input.value = person.name;
      key.value = person.id;
      close();
    }

    function show() {
      matches.replaceChildren(
        ...results.map((person, index) => {
          const option = document.createElement("li");
          option.id = `${input.id}-match-${index}`;
          option.className = "list-group-item list-group-item-action person-match";
          option.setAttribute("role", "option");
          option.setAttribute("aria-selected", "false");
          option.textContent = person.name;
          // mousedown, not click: the box keeps its focus.
          option.addEventListener("mousedown", (event) => {
            event.preventDefault();
            pick(person);
          });
          return option;
        }),
      );
      matches.hidden = results.length === 0;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
      active = -1;
    }

    async function search() {
      if (pending) pending.abort();
      pending = new AbortController();
      try {
        const response = await fetch(`${url}?q=${encodeURIComponent(input.value.trim())}`, {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
          signal: pending.signal,
        });
        results = response.ok ? (await response.json()).results : [];
      } catch (error) {
        if (error.name === "AbortError") return;
        results = [];
      }
      show();
    }

    input.addEventListener("input", () => {
      key.value = "";
      window.clearTimeout(timer);
      timer = window.setTimeout(search, WAIT_MS);
    });
    input.addEventListener("focus", () => {
      if (!input.value) search();
    });
    input.addEventListener("keydown", (event) => {
      const open = !matches.hidden;
      if (event.key === "ArrowDown" && open) {
        event.preventDefault();
        highlight(Math.min(active + 1, results.length - 1));
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();
        pick(results[active]);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", () => window.setTimeout(close, 150));
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("input[data-person-picker][data-search-url]").forEach(picker);
  });
})();
