// A card's menu fetches its actions, with the "Move to" list of scenes, the first time it opens
// (storyboard.js). A scene added, deleted, moved or renumbered answers with only its own sections
// (docs/decisions/012-board-swaps-what-changed.md), so menus fetched before it would still offer
// the old list: the answer says "scenes-changed" (HX-Trigger) and those menus go back to their
// link, fetched again when next opened (at once, if one is open).
(function () {
  "use strict";

  document.addEventListener("scenes-changed", () => {
    document.querySelectorAll("#board .card-menu > .card-actions").forEach((actions) => {
      const menu = actions.parentElement;
      const label = menu.closest(".shot-card") && menu.closest(".shot-card").querySelector("a.label");
      if (!label) return;
      const link = document.createElement("a");
      link.setAttribute("href", label.getAttribute("href") + "move/");
      link.textContent = "Edit, move or delete\u2026";
      actions.replaceWith(link);
      if (menu.open) htmx.ajax("GET", link.getAttribute("href"), { source: link, target: link, swap: "outerHTML" });
    });
  });
})();
