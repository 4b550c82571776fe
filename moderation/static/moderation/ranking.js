// The ranking's bulk moves (moderation/templates/moderation/ranking.html): each row's checkbox
// lists the moves that can succeed for it (data-moves, from workflow.can_move on the server);
// a button is offered only when every checked row allows its move. Without JavaScript every
// button stays and the server refuses, row by row, what cannot be done.
(function () {
  "use strict";
  var form = document.querySelector("[data-ranking-bulk]");
  if (!form) return;
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[form='" + form.id + "'][data-moves]"));
  var buttons = Array.prototype.slice.call(form.querySelectorAll("[data-move]"));
  var hint = form.querySelector("[data-ranking-hint]");

  function update() {
    var checked = boxes.filter(function (box) {
      return box.checked;
    });
    var offered = [];
    buttons.forEach(function (button) {
      var move = button.dataset.move;
      var ok =
        checked.length > 0 &&
        checked.every(function (box) {
          return box.dataset.moves.split(" ").indexOf(move) !== -1;
        });
      button.hidden = !ok;
      if (ok) offered.push(button.textContent.trim());
    });
    if (!checked.length) hint.textContent = "Cochez des candidatures pour voir ce qui peut être fait.";
    else if (!offered.length) hint.textContent = "Aucun changement commun possible pour les candidatures cochées.";
    else hint.textContent = "Possible pour les candidatures cochées : " + offered.join(", ") + ".";
  }

  boxes.forEach(function (box) {
    box.addEventListener("change", update);
  });
  update();
})();
