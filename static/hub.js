// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  // Countdown to the cutoff, updated each minute.
  function tickCountdowns() {
    document.querySelectorAll("[data-countdown-for]").forEach(function (el) {
      var left = Math.floor((Date.parse(el.dataset.countdownFor) - Date.now()) / 1000);
      if (left <= 0) { el.textContent = " — submissions have closed; reload the page."; return; }
      var d = Math.floor(left / 86400), h = Math.floor(left % 86400 / 3600), m = Math.floor(left % 3600 / 60);
      el.textContent = " — " + (d ? plural(d, "day") + " " : "") + plural(h, "hour") + " " + plural(m, "minute") + " left";
    });
  }

  // The cutoff in the visitor's own time zone, when it differs from Geneva.
  function showLocalTimes() {
    document.querySelectorAll("[data-local-time]").forEach(function (el) {
      var when = new Date(el.dataset.localTime);
      var local = when.toLocaleString(undefined, { dateStyle: "long", timeStyle: "short", timeZoneName: "short" });
      el.textContent = " — your time: " + local;
    });
  }

  // Live character counters for fields with a limit.
  function counters() {
    document.querySelectorAll("[data-maxlength]").forEach(function (input) {
      var out = document.getElementById(input.id + "-count");
      if (!out) { return; }
      var max = parseInt(input.dataset.maxlength, 10);
      function update() {
        var used = input.value.length;
        out.textContent = used + " of " + max + " characters" + (used > max ? " — " + (used - max) + " too many" : "");
        out.classList.toggle("over", used > max);
      }
      input.addEventListener("input", update);
      update();
    });
  }

  // Confirm before irreversible actions (withdraw, reject).
  function confirms() {
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
      });
    });
  }

  // Disable submit buttons once a form is sent, so a double click sends one request.
  function singleSubmit() {
    document.querySelectorAll("form").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (event.defaultPrevented) { return; }
        if (form.dataset.sent) { event.preventDefault(); return; }
        form.dataset.sent = "1";
      });
    });
  }

  function focusErrors() {
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    tickCountdowns(); setInterval(tickCountdowns, 30000);
    showLocalTimes(); counters(); confirms(); singleSubmit(); focusErrors();
  });
})();
