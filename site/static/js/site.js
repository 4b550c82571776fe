/*
 * The header's menu button on small screens (a disclosure button).
 * The page is drawn with the menu folded behind « Menu » under 40em (aria-expanded="false" in
 * the HTML, site.css hides the menu from the button's state), so nothing moves when this script
 * runs: it only makes the button work. Without JavaScript, site/static/css/no-js.css (loaded
 * in <noscript>) hides the button and shows the menu (search box and links) below the logo.
 */
(function () {
  "use strict";
  var button = document.querySelector(".menu-toggle");
  var menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) { return; }

  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

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

/*
 * Other disclosure buttons (class "disclosure-toggle", aria-controls naming the panel): the
 * laureates' filters on phones. The page is drawn folded (aria-expanded="false", the CSS hides
 * the panel on small screens only); without JavaScript no-js.css shows the panel.
 */
(function () {
  "use strict";
  document.querySelectorAll(".disclosure-toggle[aria-controls]").forEach(function (button) {
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  });
})();
