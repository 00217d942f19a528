// The dashboard's charts (Chart.js, served from this app): hours given and
// planned month by month, hours given per centre, sessions per activity.
// The figures come from the JSON block #figures-data; suppressed figures
// ("< 5") arrive as null and are left out. The same figures are in the
// tables under each chart, for screen readers and print.
(function () {
  "use strict";
  var source = document.getElementById("figures-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  function draw(id, type, labels, datasets) {
    var canvas = document.getElementById(id);
    if (!canvas || !labels.length) { return; }
    new Chart(canvas, {
      type: type,
      data: {labels: labels, datasets: datasets},
      options: {animation: false, responsive: true, maintainAspectRatio: false,
                scales: {y: {beginAtZero: true}}}
    });
  }
  draw("trend-chart", "line", data.labels, [
    {label: data.names.hours_given, data: data.series.hours_given, borderColor: "#0b4f8a",
     backgroundColor: "#0b4f8a", spanGaps: false},
    {label: data.names.hours_planned, data: data.series.hours_planned, borderColor: "#8a5a0b",
     backgroundColor: "#8a5a0b", borderDash: [6, 4], spanGaps: false}
  ]);
  draw("centres-chart", "bar", data.centres.labels, [
    {label: data.names.hours_given, data: data.centres.hours_given, backgroundColor: "#0b4f8a"}
  ]);
  draw("activities-chart", "bar", data.activities.labels, [
    {label: data.names.sessions_held, data: data.activities.sessions_held,
     backgroundColor: "#2f6f3e"}
  ]);
}());
