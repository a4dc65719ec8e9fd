// Show a group of fields only when a select has a given value (data-shown-when="name=value").
// Without JavaScript every group stays visible, and the server checks the combination.
(function () {
  "use strict";
  document.querySelectorAll("[data-shown-when]").forEach(function (group) {
    var rule = group.getAttribute("data-shown-when").split("=");
    var control = document.getElementsByName(rule[0])[0];
    if (!control) { return; }
    function update() {
      var show = control.value === rule[1] || group.querySelector(".field--invalid") !== null;
      group.hidden = !show;
    }
    control.addEventListener("change", update);
    update();
  });
})();
