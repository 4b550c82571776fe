// The story editor's « Trouver depuis l'adresse » (territory/admin_views.py): fills the
// latitude and longitude from the address and the commune. Shown only with JavaScript.
(function () {
  "use strict";

  function value(id) {
    var input = document.getElementById(id);
    return input ? input.value.trim() : "";
  }

  function setup(button) {
    var status = button.parentNode.querySelector("[data-territory-locate-status]");
    button.hidden = false;
    button.addEventListener("click", function () {
      var params = new URLSearchParams({
        adresse: value("id_street_address"),
        commune: value("id_town"),
        code_commune: value("id_commune_code")
      });
      status.textContent = "Recherche…";
      var request = new XMLHttpRequest();
      request.open("GET", button.dataset.url + "?" + params.toString());
      request.onload = function () {
        var data = null;
        try {
          data = JSON.parse(request.responseText);
        } catch (error) {
          data = null;
        }
        if (request.status === 200 && data) {
          var latitude = document.getElementById("id_latitude");
          var longitude = document.getElementById("id_longitude");
          if (latitude && longitude) {
            latitude.value = data.latitude;
            longitude.value = data.longitude;
            latitude.dispatchEvent(new Event("change", { bubbles: true }));
          }
          status.textContent = data.texte;
        } else {
          status.textContent = (data && data.erreur) || "La recherche a échoué.";
        }
      };
      request.onerror = function () {
        status.textContent = "La recherche a échoué.";
      };
      request.send();
    });
  }

  function init() {
    document.querySelectorAll("[data-territory-locate]").forEach(setup);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
