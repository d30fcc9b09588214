// Progress bars of long work (spreadsheet imports, bank statements): each box with
// data-progress-url polls that small JSON status while the work runs, then goes to the
// status's "redirect" address when it has one, or reloads the page. No inline script (CSP).
(function () {
  "use strict";
  function follow(box) {
    var bar = box.querySelector("[data-progress-bar]");
    var text = box.querySelector("[data-progress-text]");
    var status = box.querySelector("[data-progress-status]");
    function poll() {
      fetch(box.dataset.progressUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          bar.value = data.percent;
          bar.textContent = data.percent + " %";
          text.textContent = data.text;
          status.textContent = data.status_label;
          if (data.running) {
            window.setTimeout(poll, 1000);
          } else if (data.redirect) {
            window.location.assign(data.redirect);
          } else {
            window.location.reload();
          }
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    }
    window.setTimeout(poll, 500);
  }
  document.querySelectorAll("[data-progress-url]").forEach(function (box) {
    if (box.dataset.running === "1") {
      follow(box);
    }
  });
})();
