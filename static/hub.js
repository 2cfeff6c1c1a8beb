// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // The page's words (base.html's JSON block, in the page's language): "%(name)s" are
  // placeholders; a plural message has one form per CLDR category, chosen by Intl.
  var lang = document.documentElement.lang || "en";
  var messages = {};
  try { messages = JSON.parse(document.getElementById("hub-messages").textContent); } catch (e) { /* none */ }
  function say(key, values, count) {
    var text = messages[key] || "";
    if (typeof text === "object") {
      var kind = window.Intl && Intl.PluralRules ? new Intl.PluralRules(lang).select(count) : (count === 1 ? "one" : "other");
      text = text[kind] || text.other || "";
    }
    return text.replace(/%\((\w+)\)[sd]/g, function (all, name) { return name === "num" ? count : values[name]; });
  }

  // Countdown to the cutoff, updated every half minute (same words as the server's).
  function tickCountdowns() {
    document.querySelectorAll("[data-countdown-for]").forEach(function (el) {
      var left = Math.floor((Date.parse(el.dataset.countdownFor) - Date.now()) / 1000);
      if (left <= 0) { el.textContent = say("closed", {}); return; }
      var d = Math.floor(left / 86400), h = Math.floor(left % 86400 / 3600), m = Math.floor(left % 3600 / 60);
      el.textContent = d ? say("days", { hours: h, minutes: m }, d) : say("hours", { hours: h, minutes: m });
    });
  }

  // The cutoff in the visitor's own time zone, when it differs from Geneva, written as the
  // hub writes dates in the page's language: the day by Intl in that language's order
  // ("4 janvier 2027", "2027年1月4日"), then the hub's own pattern for day, time and zone
  // ("%(date)s, %(time)s %(zone)s", translated); only the time when it is the same day.
  // Latin digits, as the hub's dates; English day first, as the hub writes it (en-GB).
  function localFormat(options) {
    return new Intl.DateTimeFormat((lang === "en" ? "en-GB" : lang) + "-u-nu-latn", options);
  }

  function showLocalTimes() {
    document.querySelectorAll("[data-local-time]").forEach(function (el) {
      var when = new Date(el.dataset.localTime);
      var shown = el.parentNode.querySelector("time[datetime]");
      var stamp = shown ? shown.getAttribute("datetime") : "";
      var zone = /([+-])(\d\d):(\d\d)$/.exec(stamp);
      var genevaOffset = zone ? (zone[1] === "-" ? -1 : 1) * (60 * +zone[2] + +zone[3]) : null;
      if (genevaOffset === -when.getTimezoneOffset()) { return; }  // the visitor is on Geneva time
      var parts = {};
      localFormat({ hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short" })
        .formatToParts(when).forEach(function (p) { parts[p.type] = p.value; });
      var time = parts.hour + ":" + parts.minute;
      var pad = function (n) { return (n < 10 ? "0" : "") + n; };
      var localDay = when.getFullYear() + "-" + pad(when.getMonth() + 1) + "-" + pad(when.getDate());
      // The hub's date is the one in its datetime attribute (Geneva's own, with its offset).
      var text = stamp.slice(0, 10) === localDay ? time + " " + parts.timeZoneName
        : say("dateTime", { date: localFormat({ day: "numeric", month: "long", year: "numeric" }).format(when),
                            time: time, zone: parts.timeZoneName });
      el.textContent = say("yourTime", { when: text });
    });
  }

  // Live character counters for fields with a limit. The visible counter changes with every
  // key (it is not a live region); screen readers hear the count from one polite region,
  // only once typing pauses, or at once when the text goes over the limit.
  function counters() {
    var live = document.createElement("p");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    document.body.appendChild(live);
    var timer = null;
    document.querySelectorAll("[data-maxlength]").forEach(function (input) {
      var out = document.getElementById(input.id + "-count");
      if (!out) { return; }
      var max = parseInt(input.dataset.maxlength, 10);
      function update(announce) {
        var used = Array.from(input.value).length;  // characters (code points), as the server counts
        var text = used > max ? say("counterOver", { used: used, limit: max }, used - max)
                              : say("counter", { used: used }, max);
        var wasOver = out.classList.contains("over");
        out.textContent = text;
        out.classList.toggle("over", used > max);
        if (!announce) { return; }
        clearTimeout(timer);
        timer = setTimeout(function () { live.textContent = text; }, used > max && !wasOver ? 0 : 1500);
      }
      input.addEventListener("input", function () { update(true); });
      update(false);
    });
  }

  // Confirm before irreversible actions: withdraw, revoke, bulk decisions (data-confirm), and
  // a moderator's decision when it is a rejection (data-confirm-reject).
  function confirms() {
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
      });
    });
    document.querySelectorAll("form[data-confirm-reject]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        var action = event.submitter || form.querySelector("[name=action]");  // the button pressed
        if (action && action.value === "reject" && !window.confirm(form.dataset.confirmReject)) {
          event.preventDefault();
        }
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

  // The error summary takes the focus; its links move it to the field they name.
  function focusErrors() {
    var summary = document.getElementById("error-summary");
    if (!summary) { return; }
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var target = link && document.getElementById(link.getAttribute("href").slice(1));
      var input = target && target.querySelector("input:not([type=hidden]), select, textarea");
      if (!input) { return; }
      event.preventDefault();
      target.scrollIntoView({ block: "start" });
      input.focus({ preventScroll: true });
    });
  }

  // On a phone the search filters start folded, so the results come first.
  function foldFilters() {
    var narrow = window.matchMedia("(max-width: 48rem)");
    var folds = document.querySelectorAll("details[data-fold-narrow]");
    function apply() { folds.forEach(function (d) { d.open = !narrow.matches; }); }
    if (folds.length) { apply(); narrow.addEventListener("change", apply); }
  }

  // One polite live region for what scripts announce besides the counters.
  var announcer = null;
  function announce(text) {
    if (!announcer) {
      announcer = document.createElement("p");
      announcer.className = "visually-hidden";
      announcer.setAttribute("aria-live", "polite");
      document.body.appendChild(announcer);
    }
    announcer.textContent = text;
  }

  // While the title or summary is written, the "similar" panel fills itself once typing
  // pauses (without script, its "Check for similar submissions" button does the same).
  function liveSimilar() {
    var panel = document.getElementById("similar");
    var url = document.body.dataset.similarUrl;
    var form = panel && panel.closest("form");
    var title = form && form.querySelector("[name=title]");
    if (!title || !url || !window.fetch || !window.AbortController) { return; }
    var summary = form.querySelector("[name=summary]");
    var editing = /\/my\/(\d+)\/edit/.exec(location.pathname);
    var timer = null, asked = null, pending = null;

    function show(items) {
      var button = panel.querySelector("button");
      Array.prototype.slice.call(panel.children).forEach(function (el) {
        if (el.tagName !== "H2" && el !== button) { el.remove(); }
      });
      var lead = document.createElement("p");
      lead.textContent = items.length ? say("similarLead", {}) : say("similarNone", {});
      panel.insertBefore(lead, button);
      if (!items.length) { return; }
      var list = document.createElement("ul");
      items.forEach(function (item) {
        var li = document.createElement("li"), link = document.createElement("a");
        var badge = document.createElement("span");
        link.href = item.url; link.target = "_blank"; link.rel = "noopener";
        link.textContent = item.title;
        badge.className = "badge badge-kind"; badge.textContent = say("kind", { kind: item.kind });
        li.append(link, " — " + (item.lead_organisation || "") + " ", badge);
        list.appendChild(li);
      });
      panel.insertBefore(list, button);
    }

    function check() {
      var words = title.value.trim();
      if (words.length < 3) { return; }
      var query = new URLSearchParams({ title: words.slice(0, 200),
        text: summary ? summary.value.trim().slice(0, 600) : "" });
      if (editing) { query.set("exclude", editing[1]); }
      if (query.toString() === asked) { return; }
      asked = query.toString();
      if (pending) { pending.abort(); }
      pending = new AbortController();
      fetch(url + "?" + asked, { signal: pending.signal, headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          var before = panel.dataset.found;
          show(data.items);
          panel.dataset.found = String(data.items.length);
          if (before !== panel.dataset.found) {
            announce(data.items.length ? say("similarFound", {}, data.items.length) : say("similarNone", {}));
          }
        })
        .catch(function () { /* aborted or offline: the button still works */ });
    }

    [title, summary].forEach(function (field) {
      if (!field) { return; }
      field.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(check, 800); });
    });
  }

  // Leaving a form whose changes are not saved asks first (in the browser's own words). A
  // form shown again after a refused post holds text that is not saved either.
  function warnUnsaved() {
    document.querySelectorAll("form[data-warn-unsaved]").forEach(function (form) {
      function ask(event) { event.preventDefault(); event.returnValue = ""; }
      function changed() { window.addEventListener("beforeunload", ask); }
      if (document.querySelector("#error-summary, .notice-error")) { changed(); }
      form.addEventListener("input", changed);
      form.addEventListener("change", changed);
      form.addEventListener("submit", function () { window.removeEventListener("beforeunload", ask); });
    });
  }

  // A moderator's standard reason goes into the message at the cursor (replacing a
  // selection), without sending the form; without JavaScript the button posts the form,
  // which comes back with the text at the end.
  function reasonPicker() {
    document.querySelectorAll("[data-reason-picker]").forEach(function (picker) {
      var select = picker.querySelector("select");
      var button = picker.querySelector("[data-insert-reason]");
      var target = document.getElementById(picker.dataset.target);
      if (!select || !button || !target) { return; }
      button.addEventListener("click", function (event) {
        event.preventDefault();
        var option = select.options[select.selectedIndex];
        if (!option || !option.value) { select.focus(); return; }
        var text = option.dataset.text || "";
        var start = target.selectionStart, end = target.selectionEnd, value = target.value;
        if (typeof start !== "number") { start = end = value.length; }
        var before = value.slice(0, start), after = value.slice(end);
        if (before && !/\s$/.test(before)) { text = "\n\n" + text; }
        if (after && !/^\s/.test(after)) { text += "\n\n"; }
        target.value = before + text + after;
        target.focus();
        target.setSelectionRange(before.length + text.length, before.length + text.length);
        target.dispatchEvent(new Event("input", { bubbles: true }));  // the counter follows
      });
    });
  }

  // "Go back" on an error page after a post: the browser's Back keeps the form's text,
  // whereas opening the form's address again would show it empty.
  function historyBack() {
    document.querySelectorAll("a[data-history-back]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        if (window.history.length > 1) { event.preventDefault(); window.history.back(); }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    tickCountdowns(); setInterval(tickCountdowns, 30000);
    showLocalTimes(); counters(); confirms(); singleSubmit(); rememberFormTokens(); focusErrors();
    foldFilters(); liveSimilar(); warnUnsaved(); historyBack(); reasonPicker();
  });
})();
