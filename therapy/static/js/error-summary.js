// A form that comes back with errors: focus moves to the summary, so keyboard and screen-
// reader users start at the list of what to fix; each link then focuses its field.
(function () {
  "use strict";
  var summary = document.querySelector(".error-summary");
  if (!summary) { return; }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    var target = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!target) { return; }
    event.preventDefault();
    // A group of radio buttons or checkboxes is a fieldset: focus its first control.
    var control = target.matches("input, select, textarea, button")
      ? target : target.querySelector("input, select, textarea");
    target.scrollIntoView({ block: "center" });
    (control || target).focus({ preventScroll: true });
  });
})();
