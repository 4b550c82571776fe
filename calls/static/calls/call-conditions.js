// Conditional questions (calls/conditions.py): a question or a section carrying
// data-qc-when is shown only while the answers on the page meet its conditions. Hidden,
// its inputs are disabled, so they are not posted (the server ignores them anyway). The
// focus stays where it is (the deciding answer comes before), and a polite live region
// says how many questions appeared. Without this script every question is shown, with a
// note saying when to answer it.
(function () {
  "use strict";

  function normalise(text) {
    return String(text).replace(/\u2019/g, "'").replace(/[\s\u00a0\u202f]+/g, " ").trim().toLowerCase();
  }

  // The answers to the question ``name``: one string per choice ticked ([] unanswered).
  function answers(form, name) {
    var inputs = Array.prototype.filter.call(form.elements, function (element) {
      return element.name === name && !element.matches(":disabled");
    });
    if (!inputs.length) return [];
    var first = inputs[0];
    if (first.type === "checkbox" && inputs.length === 1 && !first.closest(".qc-choices")) {
      return [normalise(first.checked ? form.dataset.qcYes || "oui" : form.dataset.qcNo || "non")];
    }
    var values = [];
    inputs.forEach(function (input) {
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) values.push(normalise(input.value));
      } else if (input.tagName === "SELECT") {
        Array.prototype.forEach.call(input.selectedOptions, function (option) {
          if (option.value) values.push(normalise(option.value));
        });
      } else if (normalise(input.value)) {
        values.push(normalise(input.value));
      }
    });
    return values;
  }

  function holds(form, condition) {
    if ("fixed" in condition) return condition.fixed;
    var items = answers(form, condition.name);
    var aliases = condition.values;
    if (!items.length) return false;
    if (condition.op === "equals") return items.length === 1 && aliases.indexOf(items[0]) !== -1;
    if (condition.op === "differs") {
      return !items.some(function (item) {
        return aliases.indexOf(item) !== -1;
      });
    }
    return items.some(function (item) {
      return aliases.some(function (alias) {
        return item.indexOf(alias) !== -1;
      });
    });
  }

  function met(form, rule) {
    var results = rule.conditions.map(function (condition) {
      return holds(form, condition);
    });
    return rule.match === "any" ? results.indexOf(true) !== -1 : results.indexOf(false) === -1;
  }

  function setShown(holder, shown) {
    holder.hidden = !shown;
    if (holder.tagName === "FIELDSET") {
      holder.disabled = !shown;
      return;
    }
    holder.querySelectorAll("input, select, textarea").forEach(function (input) {
      if (!shown && !input.disabled) {
        input.disabled = true;
        input.dataset.qcDisabled = "1";
      } else if (shown && input.dataset.qcDisabled === "1") {
        input.disabled = false;
        delete input.dataset.qcDisabled;
      }
    });
  }

  function announce(count) {
    var region = document.getElementById("qc-conditions-announce");
    if (!region || !count) return;
    var text = count === 1 ? region.dataset.one : (region.dataset.many || "").replace("__N__", String(count));
    // Emptied first: the same message twice is read twice.
    region.textContent = "";
    window.setTimeout(function () {
      region.textContent = text;
    }, 50);
  }

  // Show and hide in form order: a question hidden counts as unanswered for those after it.
  function update(form, quiet) {
    var appeared = 0;
    form.querySelectorAll("[data-qc-when]").forEach(function (holder) {
      var rule;
      try {
        rule = JSON.parse(holder.dataset.qcWhen);
      } catch (error) {
        return;
      }
      var shown = met(form, rule);
      if (shown && holder.hidden) {
        appeared += holder.tagName === "FIELDSET" ? holder.querySelectorAll(".qc-field:not([hidden])").length : 1;
      }
      setShown(holder, shown);
    });
    if (!quiet) announce(appeared);
  }

  function setUp(form) {
    if (!form || form.dataset.qcConditions === "1" || !form.querySelector("[data-qc-when]")) return;
    form.dataset.qcConditions = "1";
    update(form, true);
    form.addEventListener("change", function () {
      update(form, false);
    });
    form.addEventListener("input", function (event) {
      if (event.target.matches("input[type='text'], input:not([type]), textarea, input[type='email'], input[type='tel'], input[type='number']")) {
        update(form, false);
      }
    });
  }

  document.querySelectorAll("form[data-call-form]").forEach(setUp);
  // A form in steps swaps in the next step (call-form.js): set that one up too.
  document.addEventListener("qc:step-loaded", function (event) {
    setUp(event.target.querySelector("form[data-call-form]"));
  });
})();
