// Camera sliders: show each value as it moves, summarise the move, reset to static.
(function () {
  "use strict";
  const AXES = ["pan", "tilt", "roll", "zoom", "truck", "dolly"];

  function sliders() {
    return AXES.map((axis) => document.querySelector(`input[name="${axis}"]`)).filter(Boolean);
  }

  function signed(value) {
    return value > 0 ? `+${value}` : `${value}`;
  }

  function refresh() {
    const parts = [];
    for (const input of sliders()) {
      const output = document.querySelector(`output[data-output-for="${input.name}"]`);
      if (output) output.textContent = signed(Number(input.value));
      if (Number(input.value) !== 0) parts.push(`${input.name} ${signed(Number(input.value))}`);
    }
    const summary = document.getElementById("camera-summary");
    if (summary) summary.textContent = parts.length ? parts.join(", ") : "static";
  }

  document.addEventListener("input", (event) => {
    if (AXES.includes(event.target.name)) refresh();
  });
  document.addEventListener("click", (event) => {
    // The button also submits, so the server resets too when JS is off.
    if (event.target.id !== "reset-camera") return;
    for (const input of sliders()) input.value = 0;
    refresh();
  });
  document.addEventListener("DOMContentLoaded", refresh);
})();
