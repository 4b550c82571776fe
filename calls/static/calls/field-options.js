// The call editor's form fields: show only the options that apply to each field's type.
// The type selector carries calls.models.FIELD_OPTIONS ({option: [types]}) in its
// data-qc-field-options attribute; an option's panel is hidden when the chosen type is not
// listed, and a group (« Fichiers ») is hidden once none of its options is shown. Fields
// added with « Ajouter » get the same treatment. Without JavaScript every option shows, and
// the server ignores the options that do not apply (CallFormField.clean) or refuses them (the
// report questions' « Chiffre gardé après l'effacement », ReportFormField.clean). So that the
// server's refusal is never hidden, an option whose field shows an error stays shown, and a
// box hidden by a change of type is unticked.
(function () {
  "use strict";

  var SELECTOR = "select[data-qc-field-options]";
  var MARK = "qcHidden";

  function setShown(element, shown) {
    if (shown) {
      if (element.dataset[MARK]) {
        element.style.display = "";
        delete element.dataset[MARK];
      }
    } else if (!element.dataset[MARK]) {
      element.style.display = "none";
      element.dataset[MARK] = "1";
    }
  }

  function update(select, changed) {
    var options;
    try {
      options = JSON.parse(select.getAttribute("data-qc-field-options"));
    } catch (error) {
      return;
    }
    var prefix = select.name.slice(0, select.name.length - "field_type".length);
    var child = select.closest("[id^='inline_child_']") || select.form;
    if (!child) return;
    var type = select.value;
    Object.keys(options).forEach(function (option) {
      var input = child.querySelector("[name='" + prefix + option + "']");
      var wrapper = input && input.closest("[data-field-wrapper]");
      if (!wrapper) return;
      var applies = !type || options[option].indexOf(type) !== -1;
      if (!applies && wrapper.querySelector(".w-field--error")) applies = true;
      if (!applies && changed && input.type === "checkbox") input.checked = false;
      setShown(wrapper, applies);
    });
    child.querySelectorAll(".w-panel__wrapper").forEach(function (group) {
      var fields = group.querySelectorAll("[data-field-wrapper]");
      if (!fields.length) return;
      var anyShown = Array.prototype.some.call(fields, function (field) {
        return !field.dataset[MARK];
      });
      setShown(group, anyShown);
    });
  }

  function updateAll(root) {
    if (root.matches && root.matches(SELECTOR)) update(root);
    if (root.querySelectorAll) root.querySelectorAll(SELECTOR).forEach(update);
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches(SELECTOR)) update(event.target, true);
  });

  function start() {
    updateAll(document);
    new MutationObserver(function (mutations) {
      mutations.forEach(function (mutation) {
        mutation.addedNodes.forEach(function (node) {
          if (node.nodeType === 1) updateAll(node);
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
