// The schedule grid: drag a session onto another cell, see the consequences before letting go,
// and drop to submit the same form the keyboard path uses.
(function () {
  "use strict";

  // After an action the page comes back from a redirect: put the keyboard where the work is
  // (the card just moved or pinned, else what happened), never at the top of the page.
  const params = new URLSearchParams(location.search);
  const card = params.get("focus") && document.getElementById(params.get("focus"));
  const landing = document.getElementById("schedule-error")
    || (card && (card.querySelector("summary") || card))
    || document.getElementById("schedule-notice");
  if (landing) {
    landing.focus();
    // Scrolling to the address's #fragment at load drops the focus again: take it back after.
    window.addEventListener("load", () => {
      if (!document.activeElement || document.activeElement === document.body) landing.focus();
    });
  }
  if (params.has("done") || params.has("focus")) {
    // A reload should not announce it again.
    params.delete("done");
    params.delete("focus");
    const query = params.toString();
    history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }

  const grid = document.querySelector(".draft-grid");
  if (!grid) return;
  const previewUrl = grid.dataset.previewUrl;
  const out = document.getElementById("drag-preview");
  let dragged = null;
  let lastCell = null;

  // The keyboard path: opening a card's "Move" shows what its first choice would do.
  grid.addEventListener("toggle", (event) => {
    const details = event.target;
    if (!details.matches || !details.matches("details.manage") || !details.open) return;
    const select = details.querySelector("select[data-cell-select]");
    if (select && window.htmx) htmx.trigger(select, "change");
  }, true);

  function ownCell(cell) {
    const card = grid.querySelector('[data-placement="' + dragged + '"]');
    return !!card && card.closest("td") === cell;
  }

  function clearTargets() {
    grid.querySelectorAll("td.is-target").forEach((td) => td.classList.remove("is-target"));
  }

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
    if (ownCell(cell)) {  // back where it started: nothing to preview, nothing to drop
      if (lastCell !== "own") {
        lastCell = "own";
        clearTargets();
        out.textContent = "";
      }
      return;
    }
    event.preventDefault();
    const key = cell.dataset.room + ":" + cell.dataset.slot;
    if (key === lastCell) return;
    lastCell = key;
    clearTargets();
    cell.classList.add("is-target");
    const url = previewUrl + "?placement_id=" + dragged + "&room_id=" + cell.dataset.room + "&slot_id=" + cell.dataset.slot;
    htmx.ajax("GET", url, { target: out, swap: "innerHTML" });
  });

  grid.addEventListener("drop", (event) => {
    const cell = event.target.closest("td[data-room]");
    if (!cell || !dragged || ownCell(cell)) return;
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
    clearTargets();
  });
})();
