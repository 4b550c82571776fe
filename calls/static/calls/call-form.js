// The call's form: move focus to the error summary, let its links focus their field, and
// stop a second click from sending the form twice (the server also ignores a second POST).
(function () {
  "use strict";
  var summary = document.getElementById("qc-error-summary");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var input = document.getElementById(link.getAttribute("href").slice(1));
      if (!input) return;
      event.preventDefault();
      var holder = input.closest(".qc-field") || input;
      holder.scrollIntoView({ block: "start" });
      input.focus({ preventScroll: true });
    });
  }
  document.querySelectorAll("form[data-call-form]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sending === "1") {
        event.preventDefault();
        return;
      }
      form.dataset.sending = "1";
      var button = event.submitter || form.querySelector("button[type='submit']");
      if (button) {
        if (button.dataset.submitLabel) button.textContent = button.dataset.submitLabel;
        button.setAttribute("aria-disabled", "true");
      }
    });
  });
})();
