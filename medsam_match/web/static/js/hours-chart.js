// Hours per volunteer in a plan, as horizontal bars (Chart.js, served from
// this app). The figures come from the JSON block #hours-data; the same
// figures are in the table under the chart for screen readers and print.
(function () {
  "use strict";
  var canvas = document.getElementById("hours-chart");
  var source = document.getElementById("hours-data");
  if (!canvas || !source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var rows = data.labels.length;
  canvas.parentNode.style.height = Math.max(160, 28 * rows + 60) + "px";
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [{label: data.label, data: data.hours, backgroundColor: "#0b4f8a"}]
    },
    options: {
      indexAxis: "y",
      animation: false,
      maintainAspectRatio: false,
      responsive: true,
      plugins: {legend: {display: false}},
      scales: {x: {beginAtZero: true, title: {display: true, text: data.label}}}
    }
  });
}());
