// A plan being made: ask the server how far it is every 1.5 s, show it, and
// load the finished result when the run is done. Without JavaScript the
// page refreshes itself (see the noscript in plan_run.html).
(function () {
  "use strict";
  var card = document.getElementById("run-progress-card");
  if (!card) { return; }
  var url = card.getAttribute("data-progress-url");
  var status = document.getElementById("run-status");
  var bar = document.getElementById("run-progress");
  var template = card.getAttribute("data-running-text") || "";

  function show(progress) {
    if (progress.done) {
      window.location.reload();
      return;
    }
    bar.value = progress.percent;
    bar.textContent = progress.percent + " %";
    var text = progress.label;
    if (progress.status === "running" && template) {
      text += " · " + template
        .replace("{elapsed}", Math.round(progress.elapsed_s))
        .replace("{limit}", Math.round(progress.limit_s));
    }
    status.textContent = text;
    window.setTimeout(poll, 1500);
  }

  function poll() {
    fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(show)
      .catch(function () { window.setTimeout(poll, 5000); });
  }

  window.setTimeout(poll, 1000);
}());
