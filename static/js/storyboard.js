// Drag a shot card onto another card or an empty scene: the card's own "Move" form is filled in
// and submitted, so drag and drop uses the same endpoint as the keyboard/button fallback.
(function () {
  "use strict";
  let dragged = null;

  function cardAt(target) {
    return target.closest && target.closest(".shot-card");
  }

  document.addEventListener("dragstart", (event) => {
    const card = cardAt(event.target);
    if (!card || card.getAttribute("draggable") !== "true") return;
    dragged = card;
    card.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.shotId);
  });

  document.addEventListener("dragend", () => {
    if (dragged) dragged.classList.remove("dragging");
    document.querySelectorAll(".drop-target").forEach((el) => el.classList.remove("drop-target"));
    dragged = null;
  });

  document.addEventListener("dragover", (event) => {
    if (!dragged) return;
    const grid = event.target.closest && event.target.closest(".shot-grid");
    if (!grid) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    document.querySelectorAll(".drop-target").forEach((el) => el.classList.remove("drop-target"));
    (cardAt(event.target) || grid).classList.add("drop-target");
  });

  document.addEventListener("drop", (event) => {
    if (!dragged) return;
    const grid = event.target.closest && event.target.closest(".shot-grid");
    if (!grid) return;
    event.preventDefault();
    const cards = Array.from(grid.querySelectorAll(".shot-card")).filter((c) => c !== dragged);
    const over = cardAt(event.target);
    let position = cards.length;
    if (over && over !== dragged) {
      const box = over.getBoundingClientRect();
      const after = event.clientX > box.left + box.width / 2;
      position = cards.indexOf(over) + (after ? 1 : 0);
    }
    const form = dragged.querySelector("form.move-to");
    form.querySelector("select[name=scene]").value = grid.dataset.sceneId;
    form.querySelector("input[name=position]").value = String(position);
    form.requestSubmit();
  });
})();
