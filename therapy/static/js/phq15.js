// PHQ-15 entry: quick keyboard entry fills the radios, and a provisional running total.
// The server scores the saved answers again with the same rules (DOMAIN.md §3); this script
// is a convenience only, and the form works fully without it.
(function () {
  "use strict";

  var form = document.getElementById("phq15-form");
  if (!form) { return; }
  var quick = document.getElementById("quick");
  var running = document.getElementById("phq15-running");
  var output = document.getElementById("phq15-running-total");
  var ITEMS = 15, WOMEN_ONLY = 4, MAX_MISSING = 3;
  var CODES = { "0": "0", "1": "1", "2": "2", "n": "na", "-": "na", "x": "", ".": "" };
  var isMale = form.dataset.sex === "male";
  var text = running.dataset;

  function radios(number) {
    var name = "item_" + (number < 10 ? "0" : "") + number;
    return form.querySelectorAll('input[type="radio"][name="' + name + '"]');
  }

  function defaultValue(number) {
    return isMale && number === WOMEN_ONLY ? "na" : "";
  }

  function setItem(number, value) {
    radios(number).forEach(function (radio) { radio.checked = radio.value === value; });
  }

  function itemValue(number) {
    var checked = Array.prototype.find.call(radios(number), function (r) { return r.checked; });
    return checked ? checked.value : "";
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return String(values[key]); });
  }

  // Typing fills the radios in item order; items not typed yet go back to their default.
  function applyQuick() {
    var codes = quick.value.toLowerCase().replace(/\s+/g, "").split("");
    for (var i = 0; i < codes.length; i++) {
      if (!(codes[i] in CODES)) { return fill(text.badCode, { position: i + 1 }); }
    }
    for (var number = 1; number <= ITEMS; number++) {
      var code = codes[number - 1];
      var value = code === undefined ? defaultValue(number) : CODES[code];
      if (value === "na" && number !== WOMEN_ONLY) { return fill(text.badNa, { item: number }); }
      setItem(number, value);
    }
    return codes.length > ITEMS ? fill(text.tooMany, { count: codes.length }) : "";
  }

  // A click on a radio rewrites a quick entry already typed, so the two never disagree.
  function writeQuick() {
    if (!quick.value.trim()) { return; }
    var codes = [];
    for (var number = 1; number <= ITEMS; number++) {
      var value = itemValue(number);
      codes.push(value === "na" ? "n" : value === "" ? "." : value);
    }
    quick.value = codes.join("");
  }

  function band(total) {
    if (total <= 4) { return text.bandMinimal; }
    if (total <= 9) { return text.bandLow; }
    if (total <= 14) { return text.bandMedium; }
    return text.bandHigh;
  }

  // The scoring rules of therapy/services/phq15.py, restated for the provisional total.
  function score() {
    var sum = 0, answered = 0, missing = 0, na = 0, twos = 0;
    for (var number = 1; number <= ITEMS; number++) {
      var value = itemValue(number);
      if (value === "" && isMale && number === WOMEN_ONLY) { value = "na"; }
      if (value === "na") { na += 1; }
      else if (value === "") { missing += 1; }
      else { answered += 1; sum += Number(value); twos += value === "2" ? 1 : 0; }
    }
    var applicable = ITEMS - na;
    var total = null;
    if (missing <= MAX_MISSING) {
      // Half up in whole numbers: floor(sum * applicable / answered + 1/2).
      total = missing ? Math.floor((2 * sum * applicable + answered) / (2 * answered)) : sum;
    }
    return { total: total, max: 2 * applicable, missing: missing, na: na, twos: twos };
  }

  function describe(result) {
    var parts = [];
    if (result.total === null) {
      parts.push(fill(text.incomplete, { missing: result.missing }));
    } else {
      parts.push(fill(text.total, { total: result.total, max: result.max }));
      parts.push(band(result.total));
      if (result.missing) { parts.push(fill(text.prorated, { missing: result.missing })); }
    }
    if (result.twos >= 3) { parts.push(fill(text.flag, { count: result.twos })); }
    return parts.join(" · ");
  }

  function update(problem) {
    output.value = problem || describe(score());
  }

  quick.addEventListener("input", function () { update(applyQuick()); });
  form.addEventListener("change", function (event) {
    if (event.target.type === "radio") { writeQuick(); update(""); }
  });
  running.hidden = false;
  // After a refused save the radios show what the server kept: leave them as they are.
  update("");
})();
