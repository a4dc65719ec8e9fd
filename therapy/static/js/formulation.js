// The formulation grid adds a factor in place: the small form in a cell is posted in the
// background and the grid (and the page's messages) replaced by the one the server shows
// next. Without JavaScript the same form posts normally and the grid page comes back.
(function () {
  "use strict";
  var holder = document.getElementById("formulation-grid");
  if (!holder || !window.fetch || !window.DOMParser) { return; }

  function swap(html, cellId) {
    var next = new DOMParser().parseFromString(html, "text/html");
    var grid = next.getElementById("formulation-grid");
    if (!grid) { return false; }
    holder.innerHTML = grid.innerHTML;
    var main = document.getElementById("main");
    var flashes = next.querySelector(".flashes");
    var old = main && main.querySelector(".flashes");
    if (old) { old.remove(); }
    if (main && flashes) { main.insertBefore(flashes, main.firstChild); }
    var cell = document.getElementById(cellId);
    var summary = cell && cell.querySelector("summary");
    if (summary) { summary.focus(); }
    return true;
  }

  holder.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-in-place")) { return; }
    if (form.dataset.fallback) { return; } // the second time: an ordinary post
    event.preventDefault();
    var cellId = form.parentElement.id;
    var button = form.querySelector("[type=submit]");
    if (button) { button.disabled = true; }
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) {
        var back = response.redirected && new URL(response.url).pathname === location.pathname;
        return response.text().then(function (html) { return back && swap(html, cellId); });
      })
      .catch(function () { return false; })
      .then(function (done) {
        if (done) { return; }
        // Not added (a message to show, a lock, a lost connection): post as without JS.
        if (button) { button.disabled = false; }
        form.dataset.fallback = "1";
        form.requestSubmit ? form.requestSubmit(button) : form.submit();
      });
  });
})();
