// Drag a shot card onto another card or an empty scene: it posts the scene and position to the
// shot's move URL, the endpoint the card menu's "Move to" form uses without a mouse. Also: the
// card menu's actions are fetched when it opens (its link is the page without JS), and the card
// size the user picked is kept.
(function () {
  "use strict";
  let dragged = null;

  function cardAt(target) {
    return target.closest && target.closest(".shot-card");
  }

  function canEdit() {
    const board = document.getElementById("board");
    return Boolean(board) && board.dataset.canEdit === "true";
  }

  // Cards are sent without draggable="true" (500 times on a big board): a card becomes
  // draggable when pressed, before a drag can start, on boards this person may change.
  document.addEventListener("pointerdown", (event) => {
    const card = cardAt(event.target);
    if (!card || card.classList.contains("editing") || !card.closest("#board") || !canEdit()) return;
    card.setAttribute("draggable", "true");
    card.querySelectorAll("img").forEach((img) => img.setAttribute("draggable", "false"));
  }, true);

  // The picture opens the shot, as the label does (the label is the link without JS).
  document.addEventListener("click", (event) => {
    const frame = event.target.closest && event.target.closest(".shot-card .frame");
    if (!frame || event.defaultPrevented) return;
    const label = frame.closest(".shot-card").querySelector("a.label");
    if (label) window.location.assign(label.getAttribute("href"));
  });

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
    const moveUrl = dragged.querySelector("a.label").getAttribute("href") + "move/";
    htmx.ajax("POST", moveUrl, {
      source: dragged,
      values: { scene: grid.dataset.sceneId, position: String(position) },
      swap: "none",
    });
  });

  // A card's menu carries only a link; opening it fetches the actions (with the scene list).
  document.addEventListener("toggle", (event) => {
    const menu = event.target;
    if (!menu.classList || !menu.classList.contains("card-menu") || !menu.open) return;
    const load = menu.querySelector(":scope > a[href]");
    if (load) htmx.ajax("GET", load.getAttribute("href"), { source: load, target: load, swap: "outerHTML" });
  }, true);

  // Card size: small / medium / large, remembered on this browser.
  const SIZES = ["small", "medium", "large"];
  function showSize(size) {
    const board = document.getElementById("board");
    if (board) {
      SIZES.forEach((s) => board.classList.toggle("cards-" + s, s === size));
    }
    document.querySelectorAll("[data-card-size]").forEach((button) => {
      button.setAttribute("aria-pressed", String(button.dataset.cardSize === size));
    });
  }
  function savedSize() {
    try { return window.localStorage.getItem("board-card-size") || "medium"; } catch (e) { return "medium"; }
  }
  document.addEventListener("DOMContentLoaded", () => {
    const picker = document.querySelector(".card-sizes");
    if (!picker) return;
    picker.hidden = false;
    showSize(savedSize());
    picker.addEventListener("click", (event) => {
      const button = event.target.closest("[data-card-size]");
      if (!button) return;
      try { window.localStorage.setItem("board-card-size", button.dataset.cardSize); } catch (e) { /* private mode */ }
      showSize(button.dataset.cardSize);
    });
  });
  // The whole board is swapped after some changes: it keeps the size picked.
  document.addEventListener("htmx:afterSwap", () => showSize(savedSize()));
})();
