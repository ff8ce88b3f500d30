/* build-site: ordering the meta-matrix and filtering the excerpt table, without a server.
   Without JavaScript both tables show in full, in their default order. */
(function () {
  "use strict";

  function setupOrder(box) {
    var table = document.getElementById(box.dataset.target);
    if (!table) return;
    var body = table.tBodies[0];
    var buttons = box.querySelectorAll("button[data-order]");
    var select = box.querySelector("select[data-order]");
    function sortBy(kind, component) {
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        if (kind === "order") return (+a.dataset.order) - (+b.dataset.order);
        if (kind === "component") {
          var ra = +a.querySelector('td[data-component="' + component + '"]').dataset.rank;
          var rb = +b.querySelector('td[data-component="' + component + '"]').dataset.rank;
          if (rb !== ra) return rb - ra;
        }
        return (+a.dataset.position) - (+b.dataset.position);
      });
      rows.forEach(function (row) { body.appendChild(row); });
      buttons.forEach(function (b) { b.setAttribute("aria-pressed", String(b.dataset.order === kind)); });
    }
    buttons.forEach(function (b) {
      b.addEventListener("click", function () { if (select) select.value = ""; sortBy(b.dataset.order); });
    });
    if (select) select.addEventListener("change", function () {
      sortBy(select.value ? "component" : "clinician", select.value);
    });
    box.hidden = false;
  }

  function setupFilters(form) {
    var table = document.getElementById(form.dataset.target);
    if (!table) return;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var selects = form.querySelectorAll("select");
    var count = form.querySelector("output");
    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var ok = true;
        selects.forEach(function (s) {
          if (!s.value) return;
          var have = row.dataset[s.name] || "";
          var multi = have.charAt(0) === " ";
          if (multi ? have.indexOf(" " + s.value + " ") < 0 : have !== s.value) ok = false;
        });
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      if (count) count.textContent = shown + " of " + rows.length + " excerpts";
    }
    selects.forEach(function (s) { s.addEventListener("change", apply); });
    var params = new URLSearchParams(location.hash.slice(1));
    selects.forEach(function (s) { if (params.get(s.name)) s.value = params.get(s.name); });
    form.hidden = false;
    apply();
  }

  function init() {
    // Material's search dialog carries no accessible name (axe: aria-dialog-name).
    document.querySelectorAll('.md-search[role="dialog"]:not([aria-label])').forEach(function (d) {
      d.setAttribute("aria-label", "Search");
    });
    document.querySelectorAll(".bs-order").forEach(setupOrder);
    document.querySelectorAll(".bs-filters").forEach(setupFilters);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

// The site root, recorded for the "page not found" page (build_site/notfound.py): a server
// shows 404.html at any address, so under a sub-path it finds the root only from here.
(function () {
  "use strict";
  var config = document.getElementById("__config");
  if (!config || document.querySelector('meta[name="bs-not-found"]')) return;
  try {
    var base = JSON.parse(config.textContent).base || ".";
    sessionStorage.setItem("bs-site-root", new URL(base.replace(/\/?$/, "/"), location).href);
  } catch (e) { /* storage refused (private mode): the 404 page falls back to "/" */ }
})();
