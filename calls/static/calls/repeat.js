// Repeatable sections of the call's form (calls/repeatable.py): « Ajouter un partenaire » and
// « Retirer » change the entries in place instead of posting the form. A new entry comes
// from the section's <template>; entries are renumbered so that their names stay
// <section>-<n>-<field> from 1 without a gap (the server reads them so), the focus moves
// to the new entry's first field and a polite status says what changed. The totals of
// numeric columns follow what is typed. Without JavaScript the same buttons post the form
// and the server answers with the same page, changed the same way.
(function () {
  "use strict";

  var PLACEHOLDER = /__n__/g;
  var FIELDS = "input:not([type='hidden']), select, textarea";
  function formatNumber(total) {
    // As the server writes it: no decimals for a whole number, else two (« 2 000,50 »).
    if (!window.Intl) return String(total);
    var decimals = Number.isInteger(total) ? 0 : 2;
    return new Intl.NumberFormat("fr-FR", { minimumFractionDigits: decimals, maximumFractionDigits: 2 }).format(total);
  }

  function groupOf(element) {
    return element.closest("[data-repeat]");
  }

  function keyOf(group) {
    return group.id.replace(/-entrees$/, "");
  }

  function entriesOf(group) {
    var holder = group.querySelector("[data-repeat-entries]");
    return Array.prototype.filter.call(holder.children, function (child) {
      return child.matches("[data-repeat-entry]");
    });
  }

  function titleFor(group, number) {
    var template = group.querySelector("template[data-repeat-template]");
    var legend = template.content.querySelector("legend");
    return legend.textContent.replace(PLACEHOLDER, String(number));
  }

  function renumber(group, entry, from, to) {
    var key = keyOf(group);
    var old = key + "-" + from + "-";
    var now = key + "-" + to + "-";
    ["name", "id", "for", "aria-describedby", "href"].forEach(function (attribute) {
      entry.querySelectorAll("[" + attribute + "]").forEach(function (element) {
        element.setAttribute(attribute, element.getAttribute(attribute).split(old).join(now));
      });
    });
    var title = titleFor(group, to);
    entry.querySelector("legend").textContent = title;
    var remove = entry.querySelector("[data-repeat-remove]");
    if (remove) {
      remove.value = "retirer:" + key + ":" + to;
      var hidden = remove.querySelector(".visually-hidden");
      if (hidden) hidden.textContent = " : " + title;
    }
  }

  function refresh(group) {
    var entries = entriesOf(group);
    var min = parseInt(group.dataset.repeatMin, 10) || 0;
    var max = parseInt(group.dataset.repeatMax, 10) || 1;
    group.querySelector("[data-repeat-count]").value = String(entries.length);
    var addHolder = group.querySelector("[data-repeat-add-holder]");
    var full = group.querySelector("[data-repeat-full]");
    if (addHolder) addHolder.hidden = entries.length >= max;
    if (full) full.hidden = entries.length < max;
    entries.forEach(function (entry) {
      var holder = entry.querySelector("[data-repeat-remove-holder]");
      if (holder) holder.hidden = entries.length <= min;
    });
    updateTotals(group);
  }

  function announce(group, text) {
    var status = group.querySelector("[data-repeat-status]");
    if (!status) return;
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = text;
    }, 50);
  }

  function message(group, name, number) {
    return (group.dataset[name] || "").replace(PLACEHOLDER, String(number));
  }

  function add(group) {
    var entries = entriesOf(group);
    var max = parseInt(group.dataset.repeatMax, 10) || 1;
    if (entries.length >= max) return;
    var number = entries.length + 1;
    var template = group.querySelector("template[data-repeat-template]");
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(PLACEHOLDER, String(number));
    var entry = holder.querySelector("[data-repeat-entry]");
    group.querySelector("[data-repeat-entries]").appendChild(entry);
    refresh(group);
    var first = entry.querySelector(FIELDS);
    if (first) first.focus();
    announce(group, message(group, "addedText", number));
  }

  function remove(group, entry) {
    var entries = entriesOf(group);
    var min = parseInt(group.dataset.repeatMin, 10) || 0;
    if (entries.length <= min) return;
    var index = entries.indexOf(entry);
    entry.remove();
    for (var i = index + 1; i < entries.length; i++) renumber(group, entries[i], i + 1, i);
    refresh(group);
    var rest = entriesOf(group);
    var target = rest[index] || rest[index - 1];
    var focus = target ? target.querySelector(FIELDS) : group.querySelector("[data-repeat-add]");
    if (focus) focus.focus();
    announce(group, message(group, "removedText", index + 1));
  }

  function parse(value) {
    var text = String(value || "").replace(/[\s\u00a0\u202f€]/g, "").replace(",", ".");
    if (!/^-?\d+(\.\d+)?$/.test(text)) return null;
    return parseFloat(text);
  }

  function updateTotals(group) {
    var key = keyOf(group);
    group.querySelectorAll("output[data-repeat-total]").forEach(function (output) {
      var pattern = new RegExp("^" + key + "-\\d+-" + output.dataset.repeatTotal + "$");
      var total = 0;
      group.querySelectorAll("[data-repeat-entries] input").forEach(function (input) {
        if (!pattern.test(input.name)) return;
        var number = parse(input.value);
        if (number !== null) total += number;
      });
      total = Math.round(total * 100) / 100;
      output.textContent = formatNumber(total);
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-repeat-add], [data-repeat-remove]");
    if (!button) return;
    var group = groupOf(button);
    if (!group || !group.querySelector("template[data-repeat-template]")) return;
    event.preventDefault();
    if (button.hasAttribute("data-repeat-add")) add(group);
    else remove(group, button.closest("[data-repeat-entry]"));
  });

  document.addEventListener("input", function (event) {
    var group = event.target.closest && groupOf(event.target);
    if (group && event.target.closest("[data-repeat-entries]")) updateTotals(group);
  });
})();
