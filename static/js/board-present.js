// Presentation mode: the board's frames one at a time, full screen. ← → step, Escape leaves.
// Built from the cards on the page (picture, label, subject, action, dialogue): no request.
(function () {
  "use strict";
  let stage = null;
  let frames = [];
  let at = 0;

  function collect() {
    return Array.from(document.querySelectorAll("#board .shot-card:not(.editing)")).map((card) => {
      const text = (sel) => { const el = card.querySelector(sel); return el ? el.textContent : ""; };
      const img = card.querySelector(".frame img");
      return {
        label: text(".label"), subject: text(".subject"), action: text(".action"),
        dialogue: text(".dialogue"), src: img ? img.getAttribute("src") : "", alt: img ? img.alt : "",
        aspect: (card.querySelector(".frame").className.match(/ar-[0-9x]+/) || ["ar-16x9"])[0],
      };
    });
  }

  function show() {
    const frame = frames[at];
    const picture = stage.querySelector(".present-frame");
    picture.className = "present-frame " + frame.aspect;
    picture.replaceChildren();
    if (frame.src) {
      const img = document.createElement("img");
      img.src = frame.src;
      img.alt = frame.alt;
      picture.appendChild(img);
    } else {
      const none = document.createElement("span");
      none.className = "placeholder";
      none.textContent = frame.label;
      picture.appendChild(none);
    }
    stage.querySelector(".present-label").textContent = frame.label;
    stage.querySelector(".present-subject").textContent = frame.subject;
    stage.querySelector(".present-action").textContent = frame.action;
    stage.querySelector(".present-dialogue").textContent = frame.dialogue;
    stage.querySelector(".present-count").textContent = (at + 1) + " / " + frames.length;
  }

  function line(cls) {
    const p = document.createElement("p");
    p.className = cls;
    return p;
  }

  function open() {
    frames = collect();
    if (!frames.length) return;
    at = 0;
    stage = document.createElement("div");
    stage.className = "present";
    stage.setAttribute("role", "dialog");
    stage.setAttribute("aria-label", "Presentation");
    stage.tabIndex = -1;
    const picture = document.createElement("div");
    picture.className = "present-frame";
    const words = document.createElement("div");
    words.className = "present-words";
    ["present-label", "present-subject", "present-action", "present-dialogue", "present-count"].forEach((cls) => words.appendChild(line(cls)));
    const close = document.createElement("button");
    close.type = "button";
    close.className = "present-close small";
    close.textContent = "Leave (Esc)";
    close.addEventListener("click", leave);
    stage.append(picture, words, close);
    document.body.appendChild(stage);
    show();
    stage.focus();
    if (stage.requestFullscreen) stage.requestFullscreen().catch(() => { /* the overlay is enough */ });
  }

  function leave() {
    if (!stage) return;
    const was = stage;
    stage = null;
    if (document.fullscreenElement === was && document.exitFullscreen) document.exitFullscreen().catch(() => {});
    was.remove();
  }

  document.addEventListener("keydown", (event) => {
    if (!stage) return;
    if (event.key === "ArrowRight" && at < frames.length - 1) { at += 1; show(); event.preventDefault(); }
    else if (event.key === "ArrowLeft" && at > 0) { at -= 1; show(); event.preventDefault(); }
    else if (event.key === "Escape") { leave(); event.preventDefault(); }
  });
  // Escape in real full screen is the browser's: it leaves full screen, and so do we.
  document.addEventListener("fullscreenchange", () => { if (stage && !document.fullscreenElement && stage.dataset.wasFull) leave(); else if (stage) stage.dataset.wasFull = "1"; });

  document.addEventListener("DOMContentLoaded", () => {
    const button = document.querySelector(".present-open");
    if (!button) return;
    button.hidden = false;
    button.addEventListener("click", open);
  });
})();
