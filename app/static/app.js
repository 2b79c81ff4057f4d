// Small behaviours htmx does not cover. Every form still works without this file.
(function () {
  "use strict";

  // "Add a room" / "Add a slot": copy the last row, emptied.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-row]");
    if (!button) return;
    var container = document.getElementById(button.getAttribute("data-add-row"));
    var last = container && container.lastElementChild;
    if (!last) return;
    var copy = last.cloneNode(true);
    copy.querySelectorAll("input").forEach(function (input) {
      input.value = "";
      var label = input.getAttribute("aria-label");
      if (label) input.setAttribute("aria-label", label.replace(/\d+/, String(container.children.length + 1)));
    });
    container.appendChild(copy);
    copy.querySelector("input").focus();
  });

  // A mark shows at once, and never silently lies: a failed request says so and offers a retry.
  function markButton(elt) {
    var form = elt && elt.closest && elt.closest(".mark-form");
    return form ? form.querySelector(".mark-button") : null;
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    var button = markButton(event.target);
    if (!button) return;
    button.classList.remove("is-failed");
    button.classList.add("is-pending");
    button.setAttribute("data-was", button.getAttribute("aria-pressed"));
    var marking = button.getAttribute("aria-pressed") !== "true";
    button.setAttribute("aria-pressed", marking ? "true" : "false");
    button.textContent = marking ? "Marking…" : "Unmarking…";
  });
  function failed(event) {
    var button = markButton(event.target);
    if (!button) return;
    button.classList.remove("is-pending");
    button.classList.add("is-failed");
    button.setAttribute("aria-pressed", button.getAttribute("data-was") || "false");
    button.textContent = navigator.onLine === false ? "Offline: not saved, tap to retry" : "Not saved: tap to retry";
  }
  document.addEventListener("htmx:sendError", failed);
  document.addEventListener("htmx:responseError", failed);
  document.addEventListener("htmx:timeout", failed);
})();
