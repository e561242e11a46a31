// The dashboard's charts: each figure is read from its JSON data block (the content
// security policy allows no inline script) and drawn with Plotly. The table beside each
// chart holds the same numbers, so the chart itself is hidden from screen readers.
(function () {
  "use strict";
  if (typeof window.Plotly === "undefined") {
    return;
  }
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var source = document.getElementById(element.getAttribute("data-chart"));
    if (!source) {
      return;
    }
    var figure = JSON.parse(source.textContent);
    window.Plotly.newPlot(element, figure.data, figure.layout, {
      displayModeBar: false,
      responsive: true,
    }).then(function () {
      element.setAttribute("data-drawn", "true");
    });
  });
})();
