// The schedule grid: drag a session onto another cell, see the consequences before letting go,
// and drop to submit the same form the keyboard path uses.
(function () {
  "use strict";
  const grid = document.querySelector(".draft-grid");
  if (!grid) return;
  const previewUrl = grid.dataset.previewUrl;
  const out = document.getElementById("drag-preview");
  let dragged = null;
  let lastCell = null;

  grid.addEventListener("dragstart", (event) => {
    const card = event.target.closest("[data-placement]");
    if (!card) return;
    dragged = card.dataset.placement;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", dragged);
  });

  grid.addEventListener("dragover", (event) => {
    const cell = event.target.closest("td[data-room]");
    if (!cell || !dragged) return;
    event.preventDefault();
    const key = cell.dataset.room + ":" + cell.dataset.slot;
    if (key === lastCell) return;
    lastCell = key;
    grid.querySelectorAll("td.is-target").forEach((td) => td.classList.remove("is-target"));
    cell.classList.add("is-target");
    const url = previewUrl + "?placement_id=" + dragged + "&room_id=" + cell.dataset.room + "&slot_id=" + cell.dataset.slot;
    htmx.ajax("GET", url, { target: out, swap: "innerHTML" });
  });

  grid.addEventListener("drop", (event) => {
    const cell = event.target.closest("td[data-room]");
    if (!cell || !dragged) return;
    event.preventDefault();
    const select = document.getElementById("to-" + dragged);
    const form = select && select.form;
    if (!form) return;
    select.value = cell.dataset.room + ":" + cell.dataset.slot;
    form.requestSubmit();
  });

  grid.addEventListener("dragend", () => {
    dragged = null;
    lastCell = null;
    grid.querySelectorAll("td.is-target").forEach((td) => td.classList.remove("is-target"));
  });
})();
