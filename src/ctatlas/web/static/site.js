// Render every chart on the page with the vendored vega-embed (no CDN), and mark each
// figure data-rendered="true" (or "error") so tests and users can tell.
(function () {
  "use strict";
  function renderCharts() {
    var figures = document.querySelectorAll("figure.chart");
    if (!figures.length || typeof vegaEmbed === "undefined") { return; }
    figures.forEach(function (figure) {
      var target = figure.querySelector(".vega");
      var specNode = figure.querySelector("script.vega-spec");
      try {
        var spec = JSON.parse(specNode.textContent);
        vegaEmbed(target, spec, { actions: false, renderer: "svg" })
          .then(function () { figure.setAttribute("data-rendered", "true"); })
          .catch(function (err) { figure.setAttribute("data-rendered", "error"); target.textContent = String(err); });
      } catch (err) {
        figure.setAttribute("data-rendered", "error");
      }
    });
  }
  // Filters apply as soon as a box is ticked: the URL then holds them (shareable).
  function autoSubmit() {
    var form = document.getElementById("filters");
    if (!form) { return; }
    form.querySelectorAll("input[type=checkbox], select").forEach(function (el) {
      el.addEventListener("change", function () { form.requestSubmit ? form.requestSubmit() : form.submit(); });
    });
  }
  // A table wider than the screen scrolls inside its own box: such a box must be reachable by
  // keyboard (it scrolls with the arrow keys once focused) and named for screen readers.
  function boxName(box) {
    var table = box.matches("table") ? box : box.querySelector("table");
    if (table && table.caption) { return table.caption.textContent.trim(); }
    for (var el = box; el && el !== document.body; el = el.parentElement) {
      for (var prev = el.previousElementSibling; prev; prev = prev.previousElementSibling) {
        if (/^H[1-6]$/.test(prev.tagName)) { return prev.textContent.trim(); }
      }
    }
    return document.title;
  }
  function focusableScrollBoxes() {
    document.querySelectorAll(".scroll, table.data").forEach(function (box) {
      var overflow = getComputedStyle(box).overflowX;
      var scrolls = (overflow === "auto" || overflow === "scroll") && box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("data-scroll-box", box.hasAttribute("aria-label") ? "" : "named");
        if (!box.matches("table")) { box.setAttribute("role", "region"); }
        if (!box.hasAttribute("aria-label")) { box.setAttribute("aria-label", boxName(box)); }
      } else if (!scrolls && box.hasAttribute("data-scroll-box")) {
        if (box.getAttribute("data-scroll-box") === "named") { box.removeAttribute("aria-label"); }
        ["tabindex", "data-scroll-box", "role"].forEach(function (a) { box.removeAttribute(a); });
      }
    });
  }
  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(focusableScrollBoxes, 150);
  });
  document.addEventListener("DOMContentLoaded", function () { renderCharts(); autoSubmit(); focusableScrollBoxes(); });
})();
