// The import's progress bar: polls the run's small JSON status while it runs, then reloads
// the page once the preview or the import is ready.
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box || box.dataset.running !== "1") {
    return;
  }
  var bar = document.getElementById("import-bar");
  var text = document.getElementById("import-text");
  var status = document.getElementById("import-status");
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        bar.value = data.percent;
        bar.textContent = data.percent + " %";
        text.textContent = data.text;
        status.textContent = data.status_label;
        if (data.running) {
          window.setTimeout(poll, 1000);
        } else {
          window.location.reload();
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
