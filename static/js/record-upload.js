// Outside records upload: files dropped on the form's drop zone go into its file input, whose
// plain "choose files" button still works without this script.
(function () {
  "use strict";
  document.querySelectorAll("form[data-record-upload]").forEach(function (form) {
    var input = form.querySelector("input[type=file][data-record-files]");
    if (!input) return;
    var zone = document.createElement("div");
    zone.className = "border border-2 rounded p-3 mb-2 text-center bg-body-tertiary";
    zone.setAttribute("data-drop-zone", "");
    var hint = document.createElement("p");
    hint.className = "mb-2";
    hint.textContent = "Drop the files here, or choose them:";
    var chosen = document.createElement("ul");
    chosen.className = "list-unstyled small mb-0 mt-2";
    chosen.setAttribute("aria-live", "polite");
    input.parentNode.insertBefore(zone, input);
    zone.appendChild(hint);
    zone.appendChild(input);
    zone.appendChild(chosen);

    function list() {
      chosen.textContent = "";
      Array.prototype.forEach.call(input.files, function (file) {
        var item = document.createElement("li");
        item.textContent = file.name + " (" + Math.ceil(file.size / 1024) + " KB)";
        chosen.appendChild(item);
      });
    }
    function over(event) {
      event.preventDefault();
      zone.classList.add("border-primary");
    }
    function leave() {
      zone.classList.remove("border-primary");
    }
    zone.addEventListener("dragenter", over);
    zone.addEventListener("dragover", over);
    zone.addEventListener("dragleave", leave);
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      leave();
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        list();
      }
    });
    input.addEventListener("change", list);
  });
})();
