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
    lead.addEventListener("seeked", () => rest.forEach((video) => { video.currentTime = lead.currentTime; }));
    lead.addEventListener("timeupdate", () => {
      // Nudge followers that drift more than a frame and a half behind or ahead.
      for (const video of rest) {
        if (Math.abs(video.currentTime - lead.currentTime) > 0.06) video.currentTime = lead.currentTime;
      }
    });
  });
})();
