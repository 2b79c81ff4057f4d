// A talk's time left, counting down on the board and on the phone that runs the plenary. The end
// comes from the server (the talk's start plus its minutes, [data-ends-at]), so a page loaded
// late or a board reconnected mid-talk shows the same time as every other screen; this browser's
// clock is set against the server's ([data-server-now], read once from the page) in case the two
// disagree. Past the end it says so: "2:10 over time" (the words are the page's: data-over, data-left).
(function () {
  "use strict";
  var host = document.querySelector("[data-server-now]");
  var serverNow = host ? Date.parse(host.getAttribute("data-server-now")) : NaN;
  // The page took a moment to arrive and run: a difference of a few seconds is that, not a clock
  // set wrong, and correcting for it would show a fresh talk with more than its minutes.
  var skew = isNaN(serverNow) || Math.abs(serverNow - Date.now()) < 5000 ? 0 : serverNow - Date.now();

  function pad(n) { return n < 10 ? "0" + n : String(n); }

  function tick() {
    var now = Date.now() + skew;
    Array.prototype.forEach.call(document.querySelectorAll("[data-ends-at]"), function (clock) {
      var ends = Date.parse(clock.getAttribute("data-ends-at"));
      if (isNaN(ends)) return;
      var left = Math.round((ends - now) / 1000), minutes = parseInt(clock.getAttribute("data-minutes"), 10);
      if (minutes > 0) left = Math.min(left, minutes * 60);  // never more than the talk is long
      var over = left < 0, secs = Math.abs(left);
      var value = clock.querySelector(".clock-value"), word = clock.querySelector(".clock-word");
      if (value) value.textContent = Math.floor(secs / 60) + ":" + pad(secs % 60);
      // The words come from the page, in its language, or both on a bilingual board (markup:
      // data-over, data-left); a page without them keeps English.
      var said = word && (word.getAttribute(over ? "data-over" : "data-left") || (over ? "over time" : "left"));
      if (word && word.innerHTML !== said) word.innerHTML = said;
      clock.classList.toggle("is-over", over);
      clock.classList.toggle("is-ending", !over && left <= 60);
    });
  }

  tick();
  setInterval(tick, 1000);
  // A push swaps the stage in: show its time at once, not up to a second later.
  document.addEventListener("htmx:wsAfterMessage", tick);
  document.addEventListener("htmx:afterSwap", tick);
})();
