// Small behaviours htmx does not cover. Every form still works without this file.
(function () {
  "use strict";

  // The words shown here come from the page, in its language (components/js_words.html).
  function word(name) {
    var words = document.getElementById("js-words");
    return (words && words.getAttribute("data-" + name)) || "";
  }

  // "Add a room" / "Add a slot": copy the last row, emptied.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-row]");
    if (!button) return;
    var container = document.getElementById(button.getAttribute("data-add-row"));
    var last = container && container.lastElementChild;
    if (!last) return;
    var copy = last.cloneNode(true);
    var index = container.children.length;
    copy.querySelectorAll(".field-error").forEach(function (error) { error.remove(); });
    copy.querySelectorAll("input, select").forEach(function (input) {
      if (input.type === "checkbox") { input.checked = false; input.value = String(index); }  // its row number
      else if (input.tagName === "SELECT") input.selectedIndex = 0; else input.value = "";
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
      if (input.id) input.id = input.id.replace(/\d+/, String(index));
      var label = input.getAttribute("aria-label");
      if (label) input.setAttribute("aria-label", label.replace(/\d+/, String(index + 1)));
    });
    container.appendChild(copy);
    copy.querySelector("input").focus();
  });

  // A plenary's or break's room is one of the rooms typed above: offer them as suggestions.
  var roomNames = document.getElementById("room-names");
  if (roomNames) {
    document.addEventListener("change", function (event) {
      if (!event.target.matches || !event.target.matches("input[name=room_name]")) return;
      roomNames.replaceChildren();
      document.querySelectorAll("input[name=room_name]").forEach(function (input) {
        if (!input.value.trim()) return;
        var option = document.createElement("option");
        option.value = input.value.trim();
        roomNames.appendChild(option);
      });
    });
  }

  // Time hints read as this browser's time inputs show times (9:30 AM here, 09:30 there): the
  // server writes an example in 12-hour form, and the browser's own formatting replaces it.
  document.querySelectorAll("[data-time-example]").forEach(function (hint) {
    try {
      var cycle = new Intl.DateTimeFormat(undefined, {hour: "numeric"}).resolvedOptions();
      var clock24 = cycle.hourCycle ? cycle.hourCycle === "h23" || cycle.hourCycle === "h24" : cycle.hour12 === false;
      // A 24-hour time input shows 09:30; a 12-hour one 9:30 AM.
      var format = new Intl.DateTimeFormat(undefined, {hour: clock24 ? "2-digit" : "numeric", minute: "2-digit"});
      var times = hint.getAttribute("data-time-example").split(" ").map(function (hhmm) {
        var parts = hhmm.split(":");
        return format.format(new Date(2000, 0, 1, Number(parts[0]), Number(parts[1])));
      });
      hint.textContent = hint.getAttribute("data-time-template").replace("{0}", times[0]).replace("{1}", times[1]);
    } catch (e) { /* the server's example stays */ }
  });

  // Behaviour that lived in inline handlers (hx-on, onclick, onsubmit) before the pages ran under a
  // Content-Security-Policy without inline script: named by data attributes, done here.
  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail.elt;
    if (!elt || !event.detail.successful) return;
    if (elt.hasAttribute("data-done-text")) {  // "Mark this one instead" -> "Marked ✓"
      elt.textContent = elt.getAttribute("data-done-text");
      elt.disabled = true;
    }
  });
  document.addEventListener("submit", function (event) {  // capture: before htmx sees the submit
    var form = event.target.closest("[data-confirm]");
    if (form && !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
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
    button.textContent = word(marking ? "marking" : "unmarking");
  });
  function failed(event) {
    var button = markButton(event.target);
    if (!button) return;
    button.classList.remove("is-pending");
    button.classList.add("is-failed");
    button.setAttribute("aria-pressed", button.getAttribute("data-was") || "false");
    button.textContent = word(navigator.onLine === false ? "mark-offline" : "mark-failed");
  }
  document.addEventListener("htmx:sendError", failed);
  document.addEventListener("htmx:responseError", failed);
  document.addEventListener("htmx:timeout", failed);

  // "Propose a topic": only the form's own accepted answer empties it. The title field's
  // similar-topics lookup is a request too, and its answer bubbles up through the form.
  function proposeForm(event) {
    var elt = event.detail && event.detail.elt;
    return elt && elt.matches && elt.matches("form[data-propose-form]") ? elt : null;
  }
  function proposeStatus(form, text) {
    var status = form.querySelector(".propose-status");
    if (!status) return;
    status.textContent = text || "";
    status.hidden = !text;
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = proposeForm(event);
    if (form) proposeStatus(form, "");
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = proposeForm(event);
    if (form && event.detail.successful && event.detail.xhr && event.detail.xhr.status < 300) form.reset();
  });
  // Offline or a server error: what was typed stays in the form, and the form says so.
  function proposeFailed(event) {
    var form = proposeForm(event);
    if (!form) return;
    proposeStatus(form, word(navigator.onLine === false ? "propose-offline" : "propose-failed"));
  }
  document.addEventListener("htmx:sendError", proposeFailed);
  document.addEventListener("htmx:responseError", proposeFailed);
  document.addEventListener("htmx:timeout", proposeFailed);

  // Live updates (htmx ws extension). Every pushed frame starts with #live-meta: the board
  // sequence numbers it covers and what to do. A reconnect resumes from the last one seen, so the
  // server catches it up on exactly what was missed, however long it was away.
  if (window.htmx) {
    // A push is the same for every phone, but each phone's page is its own: parts for topics
    // this page never showed (it predates them, or filters them out) are dropped here instead of
    // failing as "oobErrorNoTarget", and "New topics are on the wall" is dropped when every one
    // of them is already on this page (the author's own, just proposed). Pushes only (xhr null).
    // Cards this phone had marked or offered to lead that a push took away (hidden, merged): if
    // one comes back, its mark counts again, so "mine" must still know it.
    var goneMine = {};
    function isMine(card) {
      return card.classList.contains("is-marked") || card.classList.contains("is-leading");
    }
    function mine(ids) {
      return ids.split(" ").some(function (id) {
        var card = id && document.getElementById("topic-" + id);
        return card ? isMine(card) : goneMine[id];
      });
    }
    // "Topics (N)" counts the cards this page shows, whatever a push took away.
    function recount() {
      var count = document.getElementById("wall-count"), wall = document.getElementById("wall");
      if (count && wall) count.textContent = "(" + wall.querySelectorAll("article.topic-card").length + ")";
    }
    document.addEventListener("htmx:wsAfterMessage", recount);
    htmx.defineExtension("tf-live", {
      transformResponse: function (text, xhr) {
        if (xhr) return text;
        var holder = document.createElement("template");
        holder.innerHTML = text;
        Array.prototype.slice.call(holder.content.children).forEach(function (part) {
          var here = part.id && document.getElementById(part.id);
          if (part.id && !here) {
            part.remove();
          } else if (part.getAttribute("hx-swap-oob") === "delete" && here.classList.contains("topic-card")) {
            if (isMine(here)) goneMine[part.id.replace("topic-", "")] = true;
          } else if (part.id === "live-meta" && part.dataset.mine && mine(part.dataset.mine)) {
            // The change moved this phone's own mark or offer to lead (a merge, a hidden topic):
            // the shared delta cannot say so, so this phone GETs its wall instead.
            part.dataset.action = "refetch";
          } else if (part.id === "wall-news" && part.dataset.topics) {
            var unseen = part.dataset.topics.split(" ").filter(function (id) {
              return id && !document.getElementById("topic-" + id);
            });
            if (!unseen.length) part.remove();
          }
        });
        return holder.innerHTML;
      }
    });
    // Retry with full jitter, doubling from 1 s but capped at 4 s (the extension's own default
    // grows to 64 s): after a wifi blip a room of phones comes back spread over a few seconds,
    // and none is left showing an old wall for a minute. bench/live_load.py --away measures it.
    htmx.config.wsReconnectDelay = function (retries) {
      return Math.random() * Math.min(4000, 1000 * Math.pow(2, retries));
    };
    htmx.createWebSocket = function (url) {
      var meta = document.getElementById("live-meta");
      if (meta && meta.dataset.to) url = url.replace(/([?&]since=)[^&]*/, "$1" + encodeURIComponent(meta.dataset.to));
      var socket = new WebSocket(url, []);
      socket.binaryType = htmx.config.wsBinaryType;
      return socket;
    };
  }
  var lastFrame = 0, liveWrapper = null;
  function liveStatus(text) {
    var el = document.getElementById("live-status");
    if (!el) return;
    el.textContent = text || "";
    el.hidden = !text;
  }
  // Spread a room of phones out. A page the person is already leaving (a tapped link, a typed
  // address) must not reload itself on the way out: that would take them back where they were.
  var leaving = false;
  // (A download, such as the calendar file, fires beforeunload too but the page stays: after
  // a while it is plainly still here.)
  window.addEventListener("beforeunload", function () {
    leaving = true;
    setTimeout(function () { leaving = false; }, 10000);
  });
  window.addEventListener("pageshow", function () { leaving = false; });
  var waiting = {};  // refetch targets whose GET is already scheduled
  // ``first`` runs even when the page is leaving (``fn`` does not): it clears what waits on the timer.
  function later(fn, first) { setTimeout(function () { if (first) first(); if (!leaving) fn(); }, 200 + Math.random() * 2000); }
  document.addEventListener("htmx:wsOpen", function (event) {
    lastFrame = Date.now();
    liveWrapper = event.detail.socketWrapper;
    liveStatus("");
  });
  document.addEventListener("htmx:wsClose", function () { liveStatus(word("reconnecting")); });
  document.addEventListener("htmx:wsAfterMessage", function () {
    lastFrame = Date.now();
    var meta = document.getElementById("live-meta");
    if (!meta) return;
    var action = meta.dataset.action;
    meta.dataset.action = "done";
    if (action === "reload") {
      later(function () { location.reload(); });
    } else if (action === "refetch" && meta.dataset.target && document.querySelector(meta.dataset.target)) {
      // One GET waiting per target: it reads the state as it is when it goes, so frames that come
      // while it waits need no GET of their own (a door during a rush of check-ins gets several a second).
      var target = meta.dataset.target;
      if (!waiting[target]) {
        waiting[target] = true;
        later(function () {
          htmx.ajax("GET", location.pathname + location.search, {target: target, swap: "outerHTML"});
        }, function () { waiting[target] = false; });
      }
    }
    document.querySelectorAll(".is-changed").forEach(function (el) {
      setTimeout(function () { el.classList.remove("is-changed"); }, 2500);
    });
  });
  // The server sends a heartbeat every 25 s; a socket silent for much longer is dead without
  // knowing it (a sleeping laptop, a wifi handover): open a fresh one.
  setInterval(function () {
    if (liveWrapper && lastFrame && Date.now() - lastFrame > 70000) {
      lastFrame = Date.now();
      liveStatus(word("reconnecting"));
      liveWrapper.reconnect();
    }
  }, 10000);
})();
