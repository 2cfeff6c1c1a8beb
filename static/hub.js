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
      // dateStyle/timeStyle cannot be combined with timeZoneName (a TypeError that stopped
      // every enhancement below it), so spell the parts out.
      var local = when.toLocaleString(undefined, { day: "numeric", month: "long", year: "numeric",
        hour: "2-digit", minute: "2-digit", timeZoneName: "short" });
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

  // Back to a sent form, the browser re-fetches it (new one-time token) and refills what was
  // typed: put the sent form's token back so re-sending leads to the first result, not to a
  // second submission. Only when the browser did refill the form, and only in this tab.
  function tokenKey() { return "hub-form-token:" + location.pathname; }

  function rememberFormTokens() {
    document.querySelectorAll("form input[name=form_token]").forEach(function (token) {
      token.form.addEventListener("submit", function () {
        try { sessionStorage.setItem(tokenKey(), token.value); } catch (e) { /* storage off */ }
      });
    });
  }

  function restoreFormTokens() {  // on pageshow: browsers refill forms after "load"
    var nav = window.performance && performance.getEntriesByType ?
      performance.getEntriesByType("navigation")[0] : null;
    if (!nav || nav.type !== "back_forward") { return; }
    document.querySelectorAll("form input[name=form_token]").forEach(function (token) {
      var refilled = Array.prototype.some.call(token.form.querySelectorAll("input[type=text], textarea"),
        function (el) { return el.value !== el.defaultValue; });
      var kept = null;
      try { kept = sessionStorage.getItem(tokenKey()); } catch (e) { /* storage off */ }
      if (refilled && kept) { token.value = kept; }
    });
  }

  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { restoreFormTokens(); return; }
    // Restored from the back-forward cache: its forms may be sent again.
    document.querySelectorAll("form[data-sent]").forEach(function (form) { delete form.dataset.sent; });
  });

  function focusErrors() {
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    tickCountdowns(); setInterval(tickCountdowns, 30000);
    showLocalTimes(); counters(); confirms(); singleSubmit(); rememberFormTokens(); focusErrors();
  });
})();
