// The projector board never scrolls and never cuts anything off. When the topic wall or the grid
// holds more than the screen, this pages through it by itself, slowly, and says so ("Page 2 of 3 ·
// and 14 more topics on the other pages", in the page's words: the pager's data-* attributes). It measures what really fits (the browser lays every
// item out, then each is given to a page), so it holds at any screen size and any title length.
// A live update swaps #board-main for new HTML: the page number survives it (the timer is not
// restarted, the new content is measured and shown at the same page before the browser paints).
// The arrow keys, Page Up/Down and a presenter's clicker step by hand.
(function () {
  "use strict";
  var layout = document.querySelector(".board-layout");
  if (!layout) return;
  var seconds = Math.max(4, parseInt(layout.getAttribute("data-page-seconds"), 10) || 10);
  var MIN_COLUMN_EM = 8.5;  // a grid column narrower than this many em of title type breaks words
  var state = {page: 0, pages: [], total: 0, noun: ""};
  var timer = null;

  function main() { return document.getElementById("board-main"); }
  function words(host, name, values) {
    return (host.getAttribute("data-" + name) || "").replace(/\{(\w+)\}/g, function (all, key) {
      return key in values ? String(values[key]) : all;
    });
  }
  function toArray(list) { return Array.prototype.slice.call(list); }

  // A word wider than its box (a long compound, a URL) gets smaller type instead of being broken
  // mid-word; only if it still cannot fit at 70 % is it broken, at full size (class is-squeezed).
  function fitTitles(scope) {
    toArray(scope.querySelectorAll(".cell-title, .board-title")).forEach(function (el) {
      if (!el.offsetWidth) return;
      el.style.fontSize = "";
      el.classList.remove("is-squeezed");
      var size = parseFloat(getComputedStyle(el).fontSize), floor = size * 0.7;
      while (el.scrollWidth > el.clientWidth + 1 && size > floor) {
        size -= 1;
        el.style.fontSize = size + "px";
      }
      if (el.scrollWidth > el.clientWidth + 1) {  // no size fits: full size, broken where it must
        el.style.fontSize = "";
        el.classList.add("is-squeezed");
      }
    });
  }

  // The wall is a list in CSS columns of a fixed height: what does not fit flows into more
  // columns to the right (clipped). Two columns make a page.
  function wallPages(section) {
    var list = section.querySelector(".board-topics");
    if (!list) return {pages: [], total: 0, noun: "topics"};
    var items = toArray(list.children);
    items.forEach(function (li) { li.hidden = false; });
    fitTitles(list);
    var style = getComputedStyle(list);
    var perPage = style.columnCount === "auto" ? 1 : (parseInt(style.columnCount, 10) || 1);
    var gap = parseFloat(style.columnGap) || 0;
    var width = (list.clientWidth - gap * (perPage - 1)) / perPage;
    var pages = [];
    items.forEach(function (li) {
      var column = Math.max(0, Math.round(li.offsetLeft / (width + gap)));
      var page = Math.floor(column / perPage);
      (pages[page] = pages[page] || {items: [], count: 0}).items.push(li);
      pages[page].count += 1;
    });
    return {pages: pages.filter(Boolean), total: items.length, noun: "topics"};
  }

  // Rows into as few pages as fit the height, evened out by height (not 7 rooms and then 1).
  function splitRows(heights, room) {
    var total = heights.reduce(function (a, b) { return a + b; }, 0);
    for (var pages = Math.max(1, Math.ceil(total / room)); pages <= heights.length; pages++) {
      var ranges = [], start = 0, left = total;
      for (var p = 0; p < pages && start < heights.length; p++) {
        var target = left / (pages - p), used = 0, end = start;
        while (end < heights.length && (end === start || (used + heights[end] <= room && used + heights[end] / 2 <= target))) {
          used += heights[end];
          end += 1;
        }
        ranges.push([start, end]);
        left -= used;
        start = end;
      }
      if (start >= heights.length) return ranges;
    }
    return heights.map(function (h, i) { return [i, i + 1]; });
  }

  function showColumns(table, columns) {
    toArray(table.querySelectorAll("[data-col]")).forEach(function (cell) {
      cell.hidden = columns.indexOf(parseInt(cell.getAttribute("data-col"), 10)) < 0;
    });
    // A plenary's or break's row spans the room columns on show, whichever page of them that is.
    toArray(table.querySelectorAll("td.programme-cell")).forEach(function (cell) {
      cell.colSpan = Math.max(1, columns.length);
    });
  }

  // The grid pages through its columns (when too many for the width) and, within those, through
  // its rows (when too many for the height). Rows are rooms or slots, whichever are more.
  function gridPages(section) {
    var table = section.querySelector(".board-grid");
    if (!table || !table.tBodies.length) return {pages: [], total: 0, noun: "sessions"};
    var rows = toArray(table.tBodies[0].rows);
    var count = toArray(table.tHead.querySelectorAll("th[data-col]")).length;
    var all = [];
    for (var c = 0; c < count; c++) all.push(c);
    showColumns(table, all);
    rows.forEach(function (tr) { tr.hidden = false; });
    var font = parseFloat(getComputedStyle(table).fontSize);
    var corner = table.querySelector(".grid-corner");
    var room = table.clientWidth - (corner ? corner.offsetWidth : 0);
    var perPage = Math.max(1, Math.floor(room / (font * MIN_COLUMN_EM)));
    var groups = Math.ceil(count / perPage) || 1, size = Math.ceil(count / groups);
    var pages = [];
    for (var g = 0; g < groups; g++) {
      var columns = all.slice(g * size, (g + 1) * size);
      showColumns(table, columns);
      fitTitles(table);
      var height = section.clientHeight - table.tHead.offsetHeight;
      var heights = rows.map(function (tr) { return tr.offsetHeight; });
      splitRows(heights, height).forEach(function (range) {
        var page = {columns: columns, rows: rows.slice(range[0], range[1]), count: 0};
        page.rows.forEach(function (tr) { page.count += tr.querySelectorAll("td:not([hidden]) .cell-title").length; });
        pages.push(page);
      });
    }
    return {pages: pages, total: table.querySelectorAll(".cell-title").length, noun: "sessions"};
  }

  function apply(fade) {
    var section = main(), pager = document.getElementById("board-pager");
    if (!section) return;
    var n = state.pages.length, page = state.pages[state.page];
    if (page && page.items) {
      toArray(section.querySelectorAll(".board-topics > li")).forEach(function (li) {
        li.hidden = page.items.indexOf(li) < 0;
      });
    } else if (page && page.rows) {
      var table = section.querySelector(".board-grid");
      showColumns(table, page.columns);
      toArray(table.tBodies[0].rows).forEach(function (tr) { tr.hidden = page.rows.indexOf(tr) < 0; });
    }
    section.setAttribute("data-page", String(n ? state.page + 1 : 1));
    section.setAttribute("data-pages", String(Math.max(n, 1)));
    if (pager) {
      pager.hidden = n < 2;
      if (n >= 2) {
        var more = state.total - page.count;
        // The words come from the page, in its language (or both, on a bilingual event): markup the
        // server rendered (board.html's data-* attributes), with numbers put in its {placeholders}.
        pager.querySelector(".pager-page").innerHTML = words(pager, "page-text", {page: state.page + 1, pages: n});
        pager.querySelector(".pager-more").innerHTML = more > 0
          ? "· " + words(pager, "more-" + (more === 1 ? state.noun.replace(/s$/, "") : state.noun), {n: more}) : "";
      }
    }
    if (fade) {
      section.classList.remove("is-turning");
      void section.offsetWidth;  // restart the fade
      section.classList.add("is-turning");
    }
  }

  // Measure the content now in #board-main and show the same page number as before (or the
  // last page when there are fewer now).
  function measure() {
    var section = main();
    if (!section) return;
    var kind = section.getAttribute("data-pager");
    var found = kind === "wall" ? wallPages(section) : kind === "grid" ? gridPages(section) : {pages: [], total: 0, noun: ""};
    if (kind !== "wall" && kind !== "grid") fitTitles(section);
    state.pages = found.pages;
    state.total = found.total;
    state.noun = found.noun;
    if (state.page >= state.pages.length) state.page = Math.max(0, state.pages.length - 1);
    apply(false);
  }

  function step(by) {
    var n = state.pages.length;
    if (n < 2) return;
    state.page = (state.page + by + n) % n;
    apply(true);
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(function () { step(1); schedule(); }, seconds * 1000);
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var forward = ["ArrowRight", "ArrowDown", "PageDown", " "].indexOf(event.key) >= 0;
    var back = ["ArrowLeft", "ArrowUp", "PageUp"].indexOf(event.key) >= 0;
    if (!forward && !back) return;
    if (event.target.closest && event.target.closest("input, textarea, select, button, a")) return;
    event.preventDefault();
    step(forward ? 1 : -1);
    schedule();  // a page turned by hand gets its full time
  });

  // A push or the grid's minute refresh has swapped #board-main: measure it again, same page.
  // A shown or cleared announcement, a resized window: what fits changes, measure again.
  var observer = window.ResizeObserver ? new ResizeObserver(function () { measure(); }) : null;
  var observed = null;
  function remeasure() {
    var section = main();
    if (observer && section !== observed) {
      if (observed) observer.unobserve(observed);
      if (section) observer.observe(section);  // its first report measures it
      observed = section;
    }
    measure();
  }
  document.addEventListener("htmx:wsAfterMessage", remeasure);
  document.addEventListener("htmx:afterSwap", remeasure);
  if (observer) observer.observe(layout);
  window.addEventListener("load", measure);
  remeasure();
  schedule();
})();
