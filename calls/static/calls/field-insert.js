// The call editor's form fields: « Insérer un champ ici » at the foot of each card adds a
// field right after that card, where the editor is working, instead of at the end of a long
// form. It uses only what Wagtail's inline panel offers on the page: its « Ajouter » button
// (#id_form_fields-ADD), its « w-formset:added » event and each card's « Déplacer vers le
// haut » button, clicked until the new card sits after the chosen one — that button swaps
// the cards' ORDER inputs, which the server saves as sort_order. Then the focus goes to the
// new field's label. Without JavaScript, « Ajouter » adds at the end and the arrows move.
(function () {
  "use strict";

  var CHILD = "[data-inline-panel-child][id^='inline_child_form_fields-']";
  var TEXT;
  var after = null;

  function labelOf(child) {
    var input = child.querySelector("input[name$='-label']");
    return input ? input.value.trim() : "";
  }

  function describe(child, hidden) {
    var label = labelOf(child);
    hidden.textContent = label ? TEXT.after.replace("%(label)s", label) : "";
  }

  function attach(container) {
    container.querySelectorAll(CHILD).forEach(function (child) {
      if (child.dataset.qcInsert) return;
      child.dataset.qcInsert = "1";
      var wrapper = document.createElement("div");
      wrapper.className = "qc-field-insert";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button-small button-secondary";
      button.textContent = TEXT.insert;
      var hidden = document.createElement("span");
      hidden.className = "w-sr-only";
      button.appendChild(hidden);
      describe(child, hidden);
      var label = child.querySelector("input[name$='-label']");
      if (label) label.addEventListener("input", function () { describe(child, hidden); });
      button.addEventListener("click", function () {
        var add = document.getElementById("id_form_fields-ADD");
        if (!add) return;
        after = child;
        add.click();
      });
      wrapper.appendChild(button);
      child.appendChild(wrapper);
    });
  }

  function isLive(element) {
    return element && element.matches(CHILD) && !element.classList.contains("deleted");
  }

  function previousLive(element) {
    var previous = element.previousElementSibling;
    while (previous && !isLive(previous)) previous = previous.previousElementSibling;
    return previous;
  }

  function place(card) {
    var target = after;
    after = null;
    if (!target || !isLive(target) || !card.matches(CHILD)) return;
    var up = card.querySelector("[data-inline-panel-child-move-up]");
    if (!up) return;
    // Each click moves the card one place up (and swaps the ORDER values); bounded by the
    // number of cards, in case the markup changes.
    for (var steps = card.parentNode.children.length; steps > 0; steps--) {
      var previous = previousLive(card);
      if (!previous || previous === target) break;
      up.click();
    }
    var label = card.querySelector("input[name$='-label']");
    card.scrollIntoView({ block: "start" });
    if (label) label.focus();
  }

  function start() {
    var script = document.getElementById("qc-condition-picker-data");
    var container = document.getElementById("id_form_fields-FORMS");
    if (!script || !container || !document.getElementById("id_form_fields-ADD")) return;
    TEXT = JSON.parse(script.textContent).text;
    attach(container);
    container.addEventListener("w-formset:added", function (event) {
      attach(container);
      // Wagtail focuses the new card's first field; the card is moved once it is ready.
      var card = event.target.closest ? event.target.closest(CHILD) || event.target : event.target;
      window.setTimeout(function () { place(card); }, 0);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
