// The call editor's form fields: beside each field's « afficher seulement si », a small
// form composes one condition line — a question placed before this field (in the cards'
// current order, read live: labels typed, cards moved, added or deleted), an operator and
// an answer (the question's choices when it has some, else free text) — and « Ajouter la
// condition » appends the line to the text area, exactly as an editor would type it. The
// text area stays the truth and the fallback (without JavaScript, nothing else shows);
// the server parses the lines as before (calls/conditions.py). The types that cannot
// decide, the choices of each type and the texts come from the page
// (#qc-condition-picker-data, calls/wagtail_hooks.py).
(function () {
  "use strict";

  var CHILD = "[data-inline-panel-child][id^='inline_child_form_fields-']";
  var DATA;

  function field(child, name) {
    return child.querySelector("[name$='-" + name + "']");
  }

  function splitChoices(text) {
    // As Wagtail's FormBuilder: one per line, or commas on a single line.
    var items = text.indexOf("\n") !== -1 ? text.split(/\r?\n/) : text.split(",");
    return items
      .map(function (item) {
        return item.trim().replace(/,$/, "").trim();
      })
      .filter(Boolean);
  }

  function choicesOf(child) {
    var type = (field(child, "field_type") || {}).value;
    if (DATA.taxonomies[type]) return DATA.taxonomies[type];
    if (DATA.booleanTypes.indexOf(type) !== -1) return DATA.yesNo;
    if (DATA.choiceTypes.indexOf(type) !== -1) return splitChoices((field(child, "choices") || {}).value || "");
    return [];
  }

  // The questions that can decide for ``target``: the cards before it, not deleted, not a
  // section, not inside a repeatable section (one answer per entry), of a deciding type.
  function questionsBefore(target) {
    var container = target.parentNode;
    var questions = [];
    var inRepeatable = false;
    for (var i = 0; i < container.children.length; i++) {
      var child = container.children[i];
      if (child === target) break;
      if (!child.matches(CHILD) || child.classList.contains("deleted")) continue;
      var remove = field(child, "DELETE");
      if (remove && remove.value === "1") continue;
      var type = (field(child, "field_type") || {}).value || "";
      if (type === "section") {
        var repeatable = field(child, "repeatable");
        inRepeatable = Boolean(repeatable && repeatable.checked);
        continue;
      }
      if (inRepeatable || !type || DATA.notDeciding.indexOf(type) !== -1) continue;
      var label = ((field(child, "label") || {}).value || "").trim();
      if (!label) continue;
      questions.push({ label: label, choices: choicesOf(child) });
    }
    return questions;
  }

  function option(value, text) {
    var element = document.createElement("option");
    element.value = value;
    element.textContent = text;
    return element;
  }

  function labelled(id, text, control) {
    var wrapper = document.createElement("div");
    wrapper.className = "qc-condition-picker__field";
    var label = document.createElement("label");
    label.htmlFor = id;
    label.className = "w-field__label";
    label.textContent = text;
    control.id = id;
    wrapper.appendChild(label);
    wrapper.appendChild(control);
    return wrapper;
  }

  function build(textarea) {
    var prefix = textarea.id + "-picker";
    var box = document.createElement("fieldset");
    box.className = "qc-condition-picker";
    var legend = document.createElement("legend");
    legend.textContent = DATA.text.legend;
    box.appendChild(legend);

    var question = document.createElement("select");
    var operator = document.createElement("select");
    DATA.operators.forEach(function (word) {
      operator.appendChild(option(word, word));
    });
    var answerChoice = document.createElement("select");
    var answerText = document.createElement("input");
    answerText.type = "text";
    answerText.autocomplete = "off";

    var questionField = labelled(prefix + "-question", DATA.text.question, question);
    var choiceField = labelled(prefix + "-answer-choice", DATA.text.answer, answerChoice);
    var textField = labelled(prefix + "-answer-text", DATA.text.answer, answerText);
    choiceField.hidden = true;
    box.appendChild(questionField);
    box.appendChild(labelled(prefix + "-operator", DATA.text.operator, operator));
    box.appendChild(choiceField);
    box.appendChild(textField);

    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button-small button-secondary";
    button.textContent = DATA.text.add;
    box.appendChild(button);
    var status = document.createElement("p");
    status.className = "qc-condition-picker__status";
    status.setAttribute("role", "status");
    box.appendChild(status);

    var questions = [];

    function showAnswer() {
      var chosen = questions[question.selectedIndex - 1];
      var choices = chosen ? chosen.choices : [];
      var previous = answerChoice.value;
      answerChoice.replaceChildren(option("", DATA.text.chooseAnswer));
      choices.forEach(function (choice) {
        answerChoice.appendChild(option(choice, choice));
      });
      if (choices.indexOf(previous) !== -1) answerChoice.value = previous;
      choiceField.hidden = !choices.length;
      textField.hidden = Boolean(choices.length);
    }

    function refresh() {
      var child = textarea.closest(CHILD);
      if (!child) return;
      var previous = question.value;
      questions = questionsBefore(child);
      question.replaceChildren(option("", questions.length ? DATA.text.choose : DATA.text.none));
      questions.forEach(function (item) {
        question.appendChild(option(item.label, item.label));
      });
      if (previous && questions.some(function (item) { return item.label === previous; })) {
        question.value = previous;
      }
      showAnswer();
    }

    question.addEventListener("change", showAnswer);
    question.addEventListener("focus", refresh);
    button.addEventListener("click", function () {
      var chosen = questions[question.selectedIndex - 1];
      if (!chosen) {
        status.textContent = DATA.text.missingQuestion;
        question.focus();
        return;
      }
      var answer = chosen.choices.length ? answerChoice : answerText;
      var value = answer.value.trim();
      if (!value) {
        status.textContent = DATA.text.missingAnswer;
        answer.focus();
        return;
      }
      var line = chosen.label + " " + operator.value + " " + value;
      var text = textarea.value.replace(/\s+$/, "");
      textarea.value = text ? text + "\n" + line : line;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
      textarea.dispatchEvent(new Event("change", { bubbles: true }));
      status.textContent = DATA.text.added.replace("%(line)s", line);
      answerText.value = "";
    });

    box.qcRefresh = refresh;
    refresh();
    return box;
  }

  function attach(root) {
    var scope = root.querySelectorAll ? root : document;
    scope.querySelectorAll(CHILD + " textarea[name$='-conditions']").forEach(function (textarea) {
      if (textarea.dataset.qcPicker || textarea.name.indexOf("__prefix__") !== -1) return;
      var wrapper = textarea.closest("[data-field-wrapper]");
      if (!wrapper) return;
      textarea.dataset.qcPicker = "1";
      wrapper.parentNode.insertBefore(build(textarea), wrapper.nextSibling);
    });
  }

  var pending = false;
  function refreshAll() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      document.querySelectorAll(".qc-condition-picker").forEach(function (box) {
        box.qcRefresh();
      });
    });
  }

  function start() {
    var script = document.getElementById("qc-condition-picker-data");
    var container = document.getElementById("id_form_fields-FORMS");
    if (!script || !container) return;
    DATA = JSON.parse(script.textContent);
    attach(container);
    // Labels, types, choices and « section répétable » typed or ticked anywhere in the cards.
    container.addEventListener("input", function (event) {
      if (!event.target.closest(".qc-condition-picker")) refreshAll();
    });
    container.addEventListener("change", function (event) {
      if (!event.target.closest(".qc-condition-picker")) refreshAll();
    });
    // Cards added, moved up or down, or deleted.
    container.addEventListener("w-formset:removed", refreshAll);
    new MutationObserver(function () {
      attach(container);
      refreshAll();
    }).observe(container, { childList: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
