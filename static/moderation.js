// The review queue's "select all on this page": progressive enhancement of the button that,
// without JavaScript, asks the server for the page again with every box ticked.
(function () {
  "use strict";

  function selectAll() {
    var form = document.querySelector("form.bulk-form");
    var label = form && form.querySelector("[data-select-all]");
    var fallback = form && form.querySelector("[data-select-all-fallback]");
    if (!label || !fallback) { return; }
    var all = label.querySelector("input[type=checkbox]");
    var boxes = Array.prototype.slice.call(form.querySelectorAll("input[type=checkbox][name=ids]"));
    function sync() {  // the box says whether all, some or none are ticked
      var ticked = boxes.filter(function (b) { return b.checked; }).length;
      all.checked = ticked === boxes.length && ticked > 0;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
    }
    all.addEventListener("change", function () {
      boxes.forEach(function (b) { b.checked = all.checked; });
      all.indeterminate = false;
    });
    boxes.forEach(function (b) { b.addEventListener("change", sync); });
    fallback.remove();
    label.hidden = false;
    sync();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", selectAll);
  } else {
    selectAll();
  }
})();
