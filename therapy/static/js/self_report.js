// The patient's pages: a form sent without a connection would be lost to the browser's own
// error page, so it is held back with a plain message; the answers stay on the page.
(function () {
  "use strict";
  var notice = document.getElementById("offline-notice");
  document.querySelectorAll("form[data-offline-check]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (navigator.onLine === false && notice) {
        event.preventDefault();
        notice.hidden = false;
        notice.scrollIntoView({ block: "center" });
      }
    });
  });
  window.addEventListener("online", function () {
    if (notice) { notice.hidden = true; }
  });
})();
