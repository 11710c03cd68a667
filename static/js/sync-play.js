// Compare takes: play, pause and seek every video together; the first one leads.
(function () {
  "use strict";
  function videos() { return Array.from(document.querySelectorAll("video.sync")); }
  function on(id, handler) {
    const button = document.getElementById(id);
    if (button) button.addEventListener("click", handler);
  }
  on("play-all", () => {
    const [lead] = videos();
    for (const video of videos()) video.currentTime = lead ? lead.currentTime : 0;
    for (const video of videos()) video.play();
  });
  on("pause-all", () => videos().forEach((video) => video.pause()));
  on("rewind-all", () => videos().forEach((video) => { video.pause(); video.currentTime = 0; }));
  document.addEventListener("DOMContentLoaded", () => {
    const [lead, ...rest] = videos();
    if (!lead) return;
    // One position for all takes: dragging it (or arrow keys on it) moves every video there.
    const scrub = document.getElementById("compare-scrub");
    const at = document.getElementById("compare-at");
    const show = () => {
      if (scrub) scrub.value = lead.currentTime;
      if (at) at.textContent = lead.currentTime.toFixed(1) + " s";
    };
    const measure = () => { if (scrub && isFinite(lead.duration)) scrub.max = lead.duration; };
    lead.addEventListener("loadedmetadata", measure);
    measure();
    if (scrub) {
      scrub.addEventListener("input", () => {
        for (const video of videos()) video.currentTime = Number(scrub.value);
      });
    }
    lead.addEventListener("timeupdate", show);
    lead.addEventListener("seeked", show);
    lead.addEventListener("seeked", () => rest.forEach((video) => { video.currentTime = lead.currentTime; }));
    lead.addEventListener("timeupdate", () => {
      // Nudge followers that drift more than a frame and a half behind or ahead.
      for (const video of rest) {
        if (Math.abs(video.currentTime - lead.currentTime) > 0.06) video.currentTime = lead.currentTime;
      }
    });
  });
})();
