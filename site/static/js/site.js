/*
 * The header's menu button on small screens (a disclosure button).
 * Without this script the button stays hidden and the menu (search box and links) is shown
 * below the logo; with it, the menu folds behind « Menu » under 40em and the button says
 * whether it is open (aria-expanded). The CSS (site.css) hides the menu from the button's state.
 */
(function () {
  "use strict";
  var button = document.querySelector(".menu-toggle");
  var menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) { return; }
  var header = button.closest(".site-header");

  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  header.classList.add("has-menu-toggle");
  button.hidden = false;
  setOpen(false);
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    setOpen(open);
    if (open) {
      var field = menu.querySelector("input, a");
      if (field && field.focus && window.matchMedia("(pointer: fine)").matches) { field.focus(); }
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true" && button.offsetParent !== null) {
      setOpen(false);
      button.focus();
    }
  });
})();
