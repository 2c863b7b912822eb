// The impairment items of the outcome step: add and remove items without saving.
//
// An added item is a copy of the formset's blank form (the <template>) with the next index,
// counted in TOTAL_FORMS. A removed item is hidden with its "Remove" box ticked, so the
// server drops it exactly as it does when the box is ticked by hand without JavaScript.
// The rating itself is the server's: htmx posts the form to the rating view on every input
// and on "items-changed", which this script sends after adding or removing an item.
document.addEventListener("DOMContentLoaded", () => {
  const editor = document.querySelector("[data-impairment-items]");
  if (!editor) return;
  const list = editor.querySelector("[data-item-list]");
  const template = editor.querySelector("[data-item-template]");
  const prefix = editor.dataset.prefix;
  const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
  const initial = Number(document.getElementById(`id_${prefix}-INITIAL_FORMS`).value);
  const most = Number(document.getElementById(`id_${prefix}-MAX_NUM_FORMS`).value);
  const addButton = editor.querySelector("[data-add-item]");
  const status = editor.querySelector("[data-items-status]");

  const items = () => [...list.querySelectorAll("[data-item]")];
  const kept = () => items().filter((item) => !item.hidden);
  const fields = (item) => [...item.querySelectorAll("input:not([type=checkbox]), select")];
  const isBlank = (item) =>
    fields(item).every((field) => field.tagName === "SELECT"
      ? field.name.endsWith("-mode") || field.value === ""
      : field.value.trim() === "");

  function changed() {
    kept().forEach((item, index) => {
      item.querySelectorAll("[data-item-number]").forEach((number) => {
        number.textContent = String(index + 1);
      });
    });
    addButton.disabled = kept().length >= most;
  }

  function announce(text) {
    status.textContent = text;
  }

  function enhance(item) {
    const box = item.querySelector("[data-remove-check]");
    const button = item.querySelector("[data-remove-item]");
    const tick = box.querySelector("input[type=checkbox]");
    box.hidden = true;
    button.hidden = false;
    if (tick.checked) {
      item.hidden = true;
      item.querySelectorAll("[data-item-number]").forEach((span) => {
        span.textContent = "removed";
      });
    }
    button.addEventListener("click", () => remove(item, tick));
  }

  function remove(item, tick) {
    const number = kept().indexOf(item) + 1;
    const after = kept()[kept().indexOf(item) + 1];
    tick.checked = true;
    item.hidden = true;
    item.querySelectorAll("[data-item-number]").forEach((span) => {
      span.textContent = "removed";
    });
    changed();
    announce(`Item ${number} removed.`);
    (after ? fields(after)[0] : addButton).focus();
    htmx.trigger(editor, "items-changed");
  }

  function add({ focus }) {
    const index = Number(total.value);
    const copy = template.content.cloneNode(true);
    copy.querySelectorAll("[id], [for], [name], [aria-labelledby], [aria-describedby]")
      .forEach((element) => {
        for (const attribute of ["id", "for", "name", "aria-labelledby", "aria-describedby"]) {
          const value = element.getAttribute(attribute);
          if (value) element.setAttribute(attribute, value.replaceAll("__prefix__", index));
        }
      });
    const item = copy.querySelector("[data-item]");
    list.append(copy);
    total.value = String(index + 1);
    enhance(item);
    changed();
    if (focus) {
      fields(item)[0].focus();
      announce(`Item ${kept().length} added.`);
      htmx.trigger(editor, "items-changed");
    }
  }

  // The blank items the page brings for use without JavaScript give way to the button:
  // one blank item when there are none yet, none after items already entered.
  let last = items().at(-1);
  while (last && Number(total.value) > initial && isBlank(last) && !last.hidden) {
    last.remove();
    total.value = String(Number(total.value) - 1);
    last = items().at(-1);
  }
  items().forEach(enhance);
  editor.querySelector("[data-without-script]").hidden = true;
  editor.querySelector("[data-add-item-row]").hidden = false;
  addButton.addEventListener("click", () => add({ focus: true }));
  if (kept().length === 0) add({ focus: false });
  changed();
  editor.dataset.ready = "true";
});
