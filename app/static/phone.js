// Phones: the "Propose a topic" bar, and what changed in "my day" since this phone last showed it.
// Both are extras: the pages work without this file.
(function () {
  "use strict";

  // The words shown here come from the page, in its language (components/js_words.html).
  function word(name, values) {
    var words = document.getElementById("js-words");
    var text = (words && words.getAttribute("data-" + name)) || "";
    Object.keys(values || {}).forEach(function (key) { text = text.replace("{" + key + "}", function () { return values[key]; }); });
    return text;
  }

  // The bar steps aside while the propose form is on screen: it would cover the form's own button.
  function watchProposeBar() {
    var bar = document.querySelector(".fab");
    var form = document.getElementById("propose");
    if (!bar || !form || !("IntersectionObserver" in window)) return;
    new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) { bar.classList.toggle("is-away", entry.isIntersecting); });
    }).observe(form);
  }

  // "My day": each slot's sessions are kept in this phone's storage; the next time the page shows
  // (a reload, or a live update), what differs is flagged in words, then the new day is kept.
  function readDay(list) {
    var day = {};
    list.querySelectorAll(".my-slot").forEach(function (slot) {
      day[slot.id] = Array.prototype.map.call(slot.querySelectorAll(".my-session[data-topic]"), function (s) {
        return {topic: s.dataset.topic, room: s.dataset.room, title: s.querySelector("a").textContent.trim()};
      });
    });
    return day;
  }
  function badge(text) {
    var span = document.createElement("span");
    span.className = "badge is-news";
    span.textContent = text;
    return span;
  }
  function flagChanges(list, before) {
    Object.keys(before).forEach(function (slotId) {
      var slot = document.getElementById(slotId);
      if (!slot) return;
      var now = slot.querySelectorAll(".my-session[data-topic]");
      var shown = {};
      now.forEach(function (s) {
        shown[s.dataset.topic] = true;
        var was = before[slotId].filter(function (b) { return b.topic === s.dataset.topic; })[0];
        if (!was) s.appendChild(badge(word("new-since")));
        else if (was.room !== s.dataset.room) s.appendChild(badge(word("moved", {room: was.room})));
      });
      before[slotId].forEach(function (b) {
        if (shown[b.topic]) return;
        var gone = document.createElement("p");
        gone.className = "my-gone";
        gone.appendChild(badge(word("changed")));
        gone.appendChild(document.createTextNode(" " + word("gone", {title: b.title})));
        slot.appendChild(gone);
      });
    });
  }
  function trackDay() {
    var list = document.querySelector(".my-day[data-event]");
    if (!list || list.dataset.tracked) return;
    list.dataset.tracked = "yes";
    var key = "twofeet:my-day:" + list.dataset.event;
    var day = readDay(list);
    try {
      var before = JSON.parse(localStorage.getItem(key) || "null");
      if (before) flagChanges(list, before);
      localStorage.setItem(key, JSON.stringify(day));
    } catch (error) { /* storage refused (private mode, full): nothing to compare with */ }
  }

  document.addEventListener("DOMContentLoaded", function () { watchProposeBar(); trackDay(); });
  document.addEventListener("htmx:afterSettle", trackDay);
})();
