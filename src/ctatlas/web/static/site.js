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
  document.addEventListener("DOMContentLoaded", function () { renderCharts(); autoSubmit(); });
})();
