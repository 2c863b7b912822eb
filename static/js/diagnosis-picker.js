// The diagnosis picker: the ICD-10 codes box (input[data-diagnosis-picker]) becomes a search
// over the ICD-10-CM code set (data-search-url answers {results: [{code, description}]}) and a
// list of the codes picked, each with its description and a Remove button. The form still
// posts the same comma-separated codes, primary first, in the original field; without
// JavaScript that field is an ordinary text box. Keyboard: type, Down/Up to move through the
// matches, Enter to pick, Escape to close; the pattern is the ARIA combobox with a listbox.
(() => {
  const WAIT_MS = 200;
  let serial = 0;

  function element(tag, attributes = {}, text = "") {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    if (text) node.textContent = text;
    return node;
  }

  function codesIn(text) {
    return text
      .split(/[\s,;]+/)
      .map((code) => code.trim().toUpperCase())
      .filter(Boolean);
  }

  function sameCode(a, b) {
    return a.replace(".", "").toUpperCase() === b.replace(".", "").toUpperCase();
  }

  function picker(field) {
    serial += 1;
    const id = field.id || `diagnosis-picker-${serial}`;
    const url = field.dataset.searchUrl;
    const picked = []; // [{code, description, billable}]

    // The visible search box takes the field's id, so its label names it; the field keeps
    // the value and is posted as before.
    field.id = `${id}-value`;
    field.type = "hidden";
    const wrapper = element("div", { class: "diagnosis-picker" });
    const list = element("ul", { class: "diagnosis-picked list-unstyled mb-2", "aria-label": "Codes picked, the primary first" });
    const box = element("div", { class: "diagnosis-search" });
    const input = element("input", {
      type: "text",
      id,
      class: field.className.replace("textinput", "").trim() || "form-control",
      role: "combobox",
      "aria-autocomplete": "list",
      "aria-expanded": "false",
      "aria-controls": `${id}-matches`,
      autocomplete: "off",
      spellcheck: "false",
      placeholder: "Type a code or words",
    });
    for (const name of ["aria-describedby", "aria-invalid", "required"]) {
      if (field.hasAttribute(name)) input.setAttribute(name, field.getAttribute(name));
    }
    const matches = element("ul", {
      id: `${id}-matches`,
      class: "diagnosis-matches list-group",
      role: "listbox",
      "aria-label": "Matching codes",
      hidden: "",
    });
    const status = element("div", { class: "visually-hidden", role: "status" });
    box.append(input, matches);
    wrapper.append(list, box, status);
    field.after(wrapper);

    let results = [];
    let active = -1;
    let timer = 0;
    let pending = null;

    function save() {
      field.value = picked.map((item) => item.code).join(", ");
    }

    function announce(text) {
      status.textContent = text;
    }

    function showPicked() {
      list.replaceChildren();
      picked.forEach((item, index) => {
        const row = element("li", { class: "diagnosis-chip" });
        const words = element("span", { class: "diagnosis-chip-text" });
        words.append(element("strong", {}, item.code));
        if (item.description) words.append(document.createTextNode(` ${item.description}`));
        if (index === 0 && picked.length > 1) words.append(element("span", { class: "badge text-bg-light ms-1" }, "primary"));
        if (!item.billable) {
          const problem = item.description ? "not a billable code" : "not in the ICD-10-CM code set";
          words.append(element("span", { class: "badge text-bg-warning ms-1" }, problem));
        }
        const remove = element("button", {
          type: "button",
          class: "btn btn-sm btn-outline-secondary diagnosis-remove",
          "aria-label": `Remove ${item.code}`,
        }, "Remove");
        remove.addEventListener("click", () => {
          picked.splice(index, 1);
          save();
          showPicked();
          announce(`${item.code} removed.`);
          input.focus();
        });
        row.append(words, remove);
        list.append(row);
      });
      list.hidden = picked.length === 0;
    }

    function close() {
      window.listbox.close(input, matches);
      active = -1;
    }

    function highlight(index) {
      window.listbox.highlight(input, matches, index);
      active = index;
    }

    function showMatches() {
      matches.replaceChildren();
      results.forEach((result, index) => {
        const option = element("li", {
          id: `${id}-match-${index}`,
          class: "list-group-item list-group-item-action diagnosis-match",
          role: "option",
          "aria-selected": "false",
        });
        option.append(element("strong", {}, result.code), document.createTextNode(` ${result.description}`));
        // mousedown, not click: the search box keeps its focus.
        option.addEventListener("mousedown", (event) => {
          event.preventDefault();
          pick(result);
        });
        matches.append(option);
      });
      const open = results.length > 0;
      matches.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      active = -1;
      input.removeAttribute("aria-activedescendant");
    }

    function pick(result) {
      if (!picked.some((item) => sameCode(item.code, result.code))) {
        picked.push({ code: result.code, description: result.description, billable: true });
        save();
        showPicked();
        announce(`${result.code} ${result.description} added.`);
      }
      input.value = "";
      results = [];
      close();
      input.focus();
    }

    async function search(query) {
      if (pending) pending.abort();
      pending = new AbortController();
      const response = await fetch(`${url}?q=${encodeURIComponent(query)}`, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: pending.signal,
      });
      if (!response.ok) throw new Error(`search answered ${response.status}`);
      return (await response.json()).results;
    }

    input.addEventListener("input", () => {
      window.clearTimeout(timer);
      const query = input.value.trim();
      if (!query) {
        results = [];
        close();
        return;
      }
      timer = window.setTimeout(async () => {
        try {
          results = await search(query);
        } catch (error) {
          if (error.name === "AbortError") return;
          results = [];
          announce("The code search is not answering: type the codes, separated by commas.");
        }
        showMatches();
        if (results.length) announce(`${results.length} matching code${results.length === 1 ? "" : "s"}: use the arrow keys to choose.`);
        else announce("No billable code matches.");
      }, WAIT_MS);
    });

    input.addEventListener("keydown", (event) => {
      const open = !matches.hidden && results.length > 0;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (open) highlight(Math.min(active + 1, results.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (open) highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter") {
        // Enter picks the match chosen, or the only match, or one typed in full; it never
        // sends the form from the search box.
        if (open) {
          event.preventDefault();
          const exact = results.find((result) => sameCode(result.code, input.value.trim()));
          const chosen = active >= 0 ? results[active] : exact || (results.length === 1 ? results[0] : null);
          if (chosen) pick(chosen);
        } else if (input.value.trim()) {
          event.preventDefault();
        }
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          close();
        }
      } else if (event.key === "Backspace" && !input.value && picked.length) {
        const last = picked.pop();
        save();
        showPicked();
        announce(`${last.code} removed.`);
      }
    });
    input.addEventListener("blur", () => window.setTimeout(close, 150));

    // Codes typed but not picked are posted too, so the form checks them and says what is
    // wrong instead of dropping them.
    field.form?.addEventListener("submit", () => {
      const typed = input.value.trim();
      if (typed) field.value = [field.value, typed].filter(Boolean).join(", ");
    });

    // The codes already saved, or posted back with an error, as the page described them.
    let described = [];
    try {
      described = JSON.parse(field.dataset.diagnoses || "[]");
    } catch {
      described = codesIn(field.value).map((code) => ({ code, description: "", billable: true }));
    }
    described.forEach((item) => picked.push({ code: item.code, description: item.description, billable: item.billable }));
    save();
    showPicked();
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("input[data-diagnosis-picker][data-search-url]").forEach(picker);
  });
})();
