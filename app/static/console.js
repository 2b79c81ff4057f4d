// The organizer's screens: copy the organizer link, remember ticked checklist lines, keep the
// section tabs in step with the address. Every form and link works without this file.
(function () {
  "use strict";

  // Copy buttons (hidden until this file runs): the clipboard where the browser allows it
  // (https, localhost), else the old select-and-copy, else the text stays selected for Ctrl+C.
  // The words come from the page, in its language (the button's data-copied and data-selected).
  function say(text) {
    var status = document.getElementById("copy-status");
    if (status) status.textContent = text || "";
  }
  function copyFallback(input, button) {
    input.focus();
    input.select();
    var done = false;
    try { done = document.execCommand("copy"); } catch (e) { done = false; }
    if (done) button.focus();  // focus stays where the person pressed; else the text stays selected for Ctrl+C
    say(button.getAttribute(done ? "data-copied" : "data-selected"));
  }
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var input = document.getElementById(button.getAttribute("data-copy"));
      if (!input) return;
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(function () {
          say(button.getAttribute("data-copied"));
        }, function () { copyFallback(input, button); });
      } else {
        copyFallback(input, button);
      }
    });
  });
  document.querySelectorAll("[data-select-all]").forEach(function (input) {
    input.addEventListener("focus", function () { input.select(); });
    if (document.activeElement === input) input.select();
  });

  // Browsers skip autofocus when the address names a section (#topics): what happened, or the
  // field to type in next, gets the focus all the same.
  // (The browser focuses the named section once it has scrolled to it, after this file runs.)
  function focusWanted() {
    var wanted = document.querySelector("[autofocus]");
    var now = document.activeElement;
    if (wanted && (!now || now === document.body || now.classList.contains("console-section"))) wanted.focus();
  }
  focusWanted();
  window.addEventListener("load", function () { setTimeout(focusWanted, 0); });

  // Checklist lines only the organizer knows about (the board is on the projector): remembered
  // on this browser.
  function store() { try { return window.localStorage; } catch (e) { return null; } }
  document.querySelectorAll("[data-remember]").forEach(function (box) {
    var key = "twofeet-task-" + box.getAttribute("data-remember");
    var saved = store();
    if (saved && saved.getItem(key) === "1") box.checked = true;
    var line = box.closest(".task");
    if (line) line.classList.toggle("is-done", box.checked);
    box.addEventListener("change", function () {
      var s = store();
      if (s) { if (box.checked) s.setItem(key, "1"); else s.removeItem(key); }
      if (line) line.classList.toggle("is-done", box.checked);
    });
  });

  // The tab of the section in view is the current one.
  var tabs = document.querySelectorAll(".console-tabs [data-tab]");
  function syncTabs() {
    var target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
    var section = target && target.closest(".console-section");
    if (!section) return;
    tabs.forEach(function (tab) {
      if (tab.getAttribute("data-tab") === section.id) tab.setAttribute("aria-current", "true");
      else tab.removeAttribute("aria-current");
    });
  }
  if (tabs.length) {
    window.addEventListener("hashchange", syncTabs);
    syncTabs();
  }
})();
