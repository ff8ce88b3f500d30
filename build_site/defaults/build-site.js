/* build-site: ordering the meta-matrix and filtering the excerpt table, without a server.
   Without JavaScript both tables show in full, in their default order. */
(function () {
  "use strict";

  function setupOrder(box) {
    var table = document.getElementById(box.dataset.target);
    if (!table) return;
    // Rows grouped by clinician sit in one tbody per clinician, under a heading row; any other
    // order puts every row in the first tbody and hides the headings (class bs-flat).
    var bodies = Array.prototype.slice.call(table.tBodies);
    var rows = [];
    bodies.forEach(function (b) {
      Array.prototype.forEach.call(b.rows, function (r) {
        if (!r.classList.contains("bs-group-head")) rows.push(r);
      });
    });
    var home = rows.map(function (r) { return r.parentNode; });
    rows.forEach(function (r, i) { r.dataset.home = i; });
    var buttons = box.querySelectorAll("button[data-order]");
    var select = box.querySelector("select[data-order]");
    var summaries = box.querySelector("button[data-summaries]");
    if (summaries) {
      // Marks only at first: the summaries show in a cell on hover or focus, or all at once.
      table.classList.add("bs-compact");
      summaries.addEventListener("click", function () {
        var on = table.classList.toggle("bs-compact");
        summaries.setAttribute("aria-pressed", String(!on));
      });
    }
    function sortBy(kind, component) {
      var flat = bodies.length > 1 && kind !== "clinician";
      table.classList.toggle("bs-flat", flat);
      rows.sort(function (a, b) {
        if (kind === "order") return (+a.dataset.order) - (+b.dataset.order);
        if (kind === "component") {
          var ra = +a.querySelector('td[data-component="' + component + '"]').dataset.rank;
          var rb = +b.querySelector('td[data-component="' + component + '"]').dataset.rank;
          if (rb !== ra) return rb - ra;
        }
        return (+a.dataset.position) - (+b.dataset.position);
      });
      rows.forEach(function (row) {
        (flat ? bodies[0] : home[+row.dataset.home]).appendChild(row);
      });
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

  // Enlarge a diagram: the svg itself moves into a full-window dialog (no copy, so its ids
  // stay unique), drawn at its natural size times a zoom factor; the dialog scrolls both ways
  // and a mouse can drag it. Nothing is fetched, so this works from file:// as well.
  var ZOOMS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3];
  function setupZoom(box) {
    var svg = box.querySelector("svg");
    if (!svg) return;
    var widthPt = parseFloat(svg.getAttribute("width"));
    var heightPt = parseFloat(svg.getAttribute("height"));
    if (!widthPt || !heightPt) return;
    var open = document.createElement("button");
    open.type = "button";
    open.className = "bs-zoom-open";
    open.textContent = "Enlarge diagram";
    box.parentNode.insertBefore(open, box.nextSibling);
    var level = 2;
    var dialog, area, label;
    function draw() {
      var z = ZOOMS[level];
      svg.style.width = (widthPt * 4 / 3 * z) + "px";
      svg.style.height = (heightPt * 4 / 3 * z) + "px";
      label.textContent = Math.round(z * 100) + "%";
    }
    function zoom(step) {
      level = Math.max(0, Math.min(ZOOMS.length - 1, level + step));
      draw();
    }
    function button(text, cls, act) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = text;
      if (cls) b.className = cls;
      b.addEventListener("click", act);
      return b;
    }
    function build() {
      dialog = document.createElement("dialog");
      dialog.className = "bs-zoom";
      dialog.setAttribute("aria-label", svg.getAttribute("aria-label") || "Diagram");
      var bar = document.createElement("div");
      bar.className = "bs-zoom-bar";
      label = document.createElement("output");
      bar.appendChild(button("Zoom out", "bs-zoom-out", function () { zoom(-1); }));
      bar.appendChild(label);
      bar.appendChild(button("Zoom in", "bs-zoom-in", function () { zoom(1); }));
      bar.appendChild(button("Close", "bs-zoom-close", function () { dialog.close(); }));
      area = document.createElement("div");
      area.className = "bs-diagram";
      dialog.appendChild(bar);
      dialog.appendChild(area);
      document.body.appendChild(dialog);
      dialog.addEventListener("close", function () {
        svg.style.width = "";
        svg.style.height = "";
        box.appendChild(svg);
        open.focus();
      });
      dialog.addEventListener("keydown", function (e) {
        if (e.key === "+" || e.key === "=") { zoom(1); e.preventDefault(); }
        if (e.key === "-") { zoom(-1); e.preventDefault(); }
      });
      var drag = null;
      area.addEventListener("pointerdown", function (e) {
        if (e.pointerType !== "mouse" || e.button !== 0) return;
        drag = { x: e.clientX, y: e.clientY, left: area.scrollLeft, top: area.scrollTop, moved: false };
      });
      area.addEventListener("pointermove", function (e) {
        if (!drag) return;
        var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
        if (Math.abs(dx) + Math.abs(dy) > 4) drag.moved = true;
        area.scrollLeft = drag.left - dx;
        area.scrollTop = drag.top - dy;
      });
      area.addEventListener("pointerup", function () { setTimeout(function () { drag = null; }, 0); });
      // A drag that ends on a link does not follow it.
      area.addEventListener("click", function (e) { if (drag && drag.moved) e.preventDefault(); }, true);
    }
    open.addEventListener("click", function () {
      if (!dialog) build();
      area.appendChild(svg);
      draw();
      dialog.showModal();
    });
  }

  function init() {
    // Material's search dialog carries no accessible name (axe: aria-dialog-name).
    document.querySelectorAll('.md-search[role="dialog"]:not([aria-label])').forEach(function (d) {
      d.setAttribute("aria-label", "Search");
    });
    document.querySelectorAll(".bs-order").forEach(setupOrder);
    document.querySelectorAll(".bs-filters").forEach(setupFilters);
    document.querySelectorAll(".md-content .bs-diagram").forEach(setupZoom);
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
