// The session form's live hints: the protocol's duration range, the minutes per element
// against the duration, and only the sections that apply to a session that took place.
// Everything here is a convenience: the server checks the same rules and saves without it.
(function () {
  "use strict";
  var form = document.getElementById("session-form");
  if (!form) { return; }
  var duration = form.querySelector("[name=duration_minutes]");
  var warning = document.getElementById("duration-warning");
  var total = document.getElementById("minutes-total");
  var minuteInputs = form.querySelectorAll("input[name$='-minutes']");
  var attendance = form.querySelectorAll("input[name=attendance]");
  var attendedOnly = form.querySelectorAll("[data-attended-only]");

  function number(input) {
    var value = parseInt(input.value, 10);
    return isNaN(value) ? 0 : value;
  }

  function attended() {
    var checked = form.querySelector("input[name=attendance]:checked");
    return !checked || checked.value === "attended";
  }

  // A section with something typed or ticked stays in view, so it can still be cleared.
  function hasEntries(section) {
    return Array.prototype.some.call(
      section.querySelectorAll("input[type=number], input[type=checkbox], textarea"),
      function (input) { return input.type === "checkbox" ? input.checked : input.value !== ""; }
    );
  }

  function update() {
    var isAttended = attended();
    var minutes = duration.value === "" ? null : number(duration);
    warning.hidden = !isAttended || minutes === null || (minutes >= 30 && minutes <= 45);
    var sum = 0;
    minuteInputs.forEach(function (input) { sum += number(input); });
    total.textContent = minutes === null
      ? form.dataset.totalOnly.replace("%(sum)s", sum)
      : form.dataset.totalOf.replace("%(sum)s", sum).replace("%(duration)s", minutes);
    total.classList.toggle("minutes-total--over", minutes !== null && sum > minutes);
    attendedOnly.forEach(function (section) {
      section.hidden = !isAttended && !hasEntries(section) &&
        section.querySelector(".field--invalid") === null;
    });
  }

  form.addEventListener("input", update);
  attendance.forEach(function (radio) { radio.addEventListener("change", update); });
  update();
})();

// "Copy last home exercises": in place, keeping whatever else was typed (the link behind it
// opens the form with them filled in, for a browser without JavaScript).
(function () {
  "use strict";
  var button = document.getElementById("copy-home-exercises");
  if (!button) { return; }
  button.addEventListener("click", function (event) {
    var source = document.getElementById(button.getAttribute("data-copy-from"));
    var target = document.getElementById(button.getAttribute("data-copy-to"));
    if (!source || !target) { return; }
    event.preventDefault();
    var text = source.textContent;
    target.value = target.value.trim() ? target.value.replace(/\s+$/, "") + "\n" + text : text;
    target.dispatchEvent(new Event("input", { bubbles: true })); // the draft is autosaved
    target.focus();
  });
})();

// The therapist's text snippets: in any text field of the form, a snippet's short name right
// before the cursor and Tab put the snippet's text in its place. Tab after any other word
// moves on as usual. Without JavaScript the snippets are listed above the form, to copy.
(function () {
  "use strict";
  var form = document.getElementById("session-form");
  var names = document.querySelectorAll("[data-snippet-name]");
  if (!form || !names.length) { return; }
  var status = document.getElementById("snippet-status");
  var texts = {};
  names.forEach(function (code) {
    var text = code.parentElement.nextElementSibling;
    if (text) { texts[code.getAttribute("data-snippet-name")] = text.textContent; }
  });
  form.addEventListener("keydown", function (event) {
    var field = event.target;
    if (event.key !== "Tab" || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey ||
        field.tagName !== "TEXTAREA" || field.selectionStart !== field.selectionEnd) { return; }
    var before = field.value.slice(0, field.selectionStart);
    var word = /[\p{L}\p{N}_-]+$/u.exec(before);
    if (!word || !Object.prototype.hasOwnProperty.call(texts, word[0])) { return; }
    event.preventDefault();
    var text = texts[word[0]];
    var start = before.length - word[0].length;
    field.setRangeText(text, start, field.selectionStart, "end");
    field.dispatchEvent(new Event("input", { bubbles: true })); // the draft is autosaved
    if (status) { status.textContent = status.dataset.inserted.replace("%(name)s", word[0]); }
  });
})();

// "Same elements as last time": the last session's minutes and techniques in place, keeping
// everything else typed (the link behind it opens the form with them, without JavaScript).
(function () {
  "use strict";
  var button = document.getElementById("copy-elements");
  var form = document.getElementById("session-form");
  if (!button || !form) { return; }
  button.addEventListener("click", function (event) {
    var elements;
    try { elements = JSON.parse(button.getAttribute("data-elements")); } catch (e) { return; }
    event.preventDefault();
    Object.keys(elements).forEach(function (name) {
      var minutes = form.querySelector("[name='" + name + "-minutes']");
      if (minutes) { minutes.value = elements[name].minutes === null ? "" : elements[name].minutes; }
      form.querySelectorAll("[name='" + name + "-techniques']").forEach(function (box) {
        box.checked = elements[name].techniques.indexOf(box.value) !== -1;
      });
    });
    form.dispatchEvent(new Event("input", { bubbles: true })); // totals, hints and the draft
    var first = form.querySelector("[name='education-minutes']");
    if (first) { first.focus(); }
  });
})();
