// The call editor's form fields: each card is titled by its field's label (« Nom du
// commerce ») instead of « Champ du formulaire 3 », and follows the label as it is typed.
// New cards (« Ajouter ») too. Without JavaScript, Wagtail's numbered titles stay.
(function () {
  "use strict";

  var CHILD = "[data-inline-panel-child][id^='inline_child_form_fields-']";

  function title(child) {
    var input = child.querySelector("input[name$='-label']");
    var heading = child.querySelector("[data-panel-heading-text]");
    if (!input || !heading) return;
    var text = heading.firstChild;
    if (!text || text.nodeType !== Node.TEXT_NODE) {
      text = document.createTextNode("");
      heading.insertBefore(text, heading.firstChild);
    }
    if (heading.dataset.qcTitle === undefined) heading.dataset.qcTitle = text.nodeValue;
    var count = heading.querySelector("[data-inline-panel-child-count]");
    var label = input.value.trim();
    text.nodeValue = label || heading.dataset.qcTitle;
    if (count) count.hidden = Boolean(label);
  }

  function watch(child) {
    if (child.dataset.qcTitled) return;
    child.dataset.qcTitled = "1";
    var input = child.querySelector("input[name$='-label']");
    if (input) input.addEventListener("input", function () { title(child); });
    title(child);
  }

  function all() {
    document.querySelectorAll(CHILD).forEach(watch);
  }

  document.addEventListener("DOMContentLoaded", function () {
    all();
    var container = document.getElementById("id_form_fields-FORMS");
    if (container && window.MutationObserver) {
      new MutationObserver(all).observe(container, { childList: true });
    }
  });
})();
