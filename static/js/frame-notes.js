// The take review player (templates/projects/take_review.html#player): markers on the timeline,
// seeking to a note and showing its drawing, drawing a new one, frame steps and keys.
// Drawings are in 0..1 of the frame's width and height (the SVG's viewBox), like the server keeps them.
(() => {
  const SVG = "http://www.w3.org/2000/svg";
  const EPSILON = 1e-6;

  function shapeNode(drawing, className) {
    const points = drawing.points || [];
    let node = null;
    if (drawing.shape === "point" && points.length) {
      node = document.createElementNS(SVG, "circle");
      node.setAttribute("cx", points[0][0]);
      node.setAttribute("cy", points[0][1]);
      node.setAttribute("r", "0.015");
    } else if (drawing.shape === "box" && points.length === 2) {
      const [[x1, y1], [x2, y2]] = points;
      node = document.createElementNS(SVG, "rect");
      node.setAttribute("x", Math.min(x1, x2));
      node.setAttribute("y", Math.min(y1, y2));
      node.setAttribute("width", Math.abs(x2 - x1));
      node.setAttribute("height", Math.abs(y2 - y1));
    } else if (drawing.shape === "path" && points.length > 1) {
      node = document.createElementNS(SVG, "polyline");
      node.setAttribute("points", points.map((p) => p.join(",")).join(" "));
    }
    if (node) {
      node.setAttribute("class", className);
      node.setAttribute("vector-effect", "non-scaling-stroke");
    }
    return node;
  }

  function markerDrawing(marker) {
    const shape = marker.dataset.shape;
    const raw = (marker.dataset.points || "").trim();
    if (!shape || !raw) return null;
    return { shape, points: raw.split(" ").map((pair) => pair.split(",").map(Number)) };
  }

  function setup(root) {
    const video = root.querySelector("video");
    const svg = root.querySelector("svg.overlay");
    const shown = svg.querySelector("g.shown");
    const drawn = svg.querySelector("g.drawn");
    const fps = parseFloat(root.dataset.fps) || 24;
    let tool = null;
    let drawing = null; // what the user drew, not yet saved
    let dragging = false;

    const duration = () => parseFloat(root.dataset.duration) || video.duration || 0;
    const frameOf = (seconds) => Math.floor(seconds * fps + EPSILON);
    const markers = () => Array.from(root.querySelectorAll(".marker"));

    function layout() {
      const total = duration();
      markers().forEach((marker) => {
        const at = parseFloat(marker.dataset.at);
        const share = total ? Math.min(1, Math.max(0, at / total)) : 0;
        marker.style.left = `${(share * 100).toFixed(3)}%`;
      });
    }

    function syncForm() {
      const t = video.currentTime || 0;
      const at = root.querySelector("[data-note-at]");
      const label = root.querySelector("[data-note-label]");
      const field = root.querySelector("[data-note-drawing]");
      if (at) at.value = t.toFixed(4);
      if (label) label.textContent = `Note at ${t.toFixed(2)} s (frame ${frameOf(t)})`;
      if (field) field.value = drawing ? JSON.stringify(drawing) : "";
    }

    function renderDrawn() {
      drawn.replaceChildren();
      const node = drawing && shapeNode(drawing, "mine");
      if (node) drawn.append(node);
      syncForm();
    }

    function show(marker) {
      shown.replaceChildren();
      markers().forEach((m) => m.removeAttribute("aria-current"));
      marker.setAttribute("aria-current", "true");
      video.pause();
      video.currentTime = parseFloat(marker.dataset.at);
      const saved = markerDrawing(marker);
      const node = saved && shapeNode(saved, "saved");
      if (node) shown.append(node);
      root.dataset.shownNote = marker.dataset.note;
    }

    function step(frames) {
      video.pause();
      const next = (frameOf(video.currentTime) + frames) / fps;
      video.currentTime = Math.min(Math.max(0, next), duration() || next);
    }

    function jump(direction) {
      const now = video.currentTime;
      const list = markers().sort((a, b) => a.dataset.at - b.dataset.at);
      const target =
        direction > 0
          ? list.find((m) => parseFloat(m.dataset.at) > now + 1e-3)
          : list.reverse().find((m) => parseFloat(m.dataset.at) < now - 1e-3);
      if (target) {
        show(target);
        target.focus();
      }
    }

    function pointOf(event) {
      const box = svg.getBoundingClientRect();
      const clamp = (v) => Math.min(1, Math.max(0, v));
      return [
        +clamp((event.clientX - box.left) / box.width).toFixed(4),
        +clamp((event.clientY - box.top) / box.height).toFixed(4),
      ];
    }

    function choose(name) {
      root.querySelectorAll("[data-tool]").forEach((b) => {
        if (b.dataset.tool !== "clear") b.setAttribute("aria-pressed", String(b.dataset.tool === name));
      });
      tool = name;
      svg.classList.toggle("drawing", Boolean(tool));
      if (tool) video.pause();
    }

    svg.addEventListener("pointerdown", (event) => {
      if (!tool) return;
      event.preventDefault();
      const point = pointOf(event);
      shown.replaceChildren();
      if (tool === "point") {
        drawing = { shape: "point", points: [point] };
      } else {
        drawing = { shape: tool, points: [point, point] };
        dragging = true;
        svg.setPointerCapture(event.pointerId);
      }
      renderDrawn();
    });
    svg.addEventListener("pointermove", (event) => {
      if (!dragging || !drawing) return;
      const point = pointOf(event);
      if (drawing.shape === "box") {
        drawing.points[1] = point;
      } else if (drawing.points.length < 2000) {
        const last = drawing.points[drawing.points.length - 1];
        if (Math.hypot(point[0] - last[0], point[1] - last[1]) > 0.004) drawing.points.push(point);
      }
      renderDrawn();
    });
    const stop = () => {
      dragging = false;
    };
    svg.addEventListener("pointerup", stop);
    svg.addEventListener("pointercancel", stop);

    root.addEventListener("click", (event) => {
      const button = event.target.closest("button");
      if (!button || !root.contains(button)) return;
      if (button.classList.contains("marker")) {
        show(button);
      } else if (button.dataset.seek) {
        const marker = root.querySelector(`.marker[data-note="${button.dataset.seek}"]`);
        if (marker) show(marker);
      } else if (button.dataset.tool === "clear") {
        drawing = null;
        choose(null);
        renderDrawn();
      } else if (button.dataset.tool) {
        choose(tool === button.dataset.tool ? null : button.dataset.tool);
      }
    });

    document.addEventListener("keydown", (event) => {
      const target = event.target;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (target.closest("input, textarea, select, [contenteditable]")) return;
      if (event.key === " " && target !== video) {
        event.preventDefault();
        if (video.paused) video.play();
        else video.pause();
      } else if (event.key === "," || event.key === ".") {
        event.preventDefault();
        step(event.key === "." ? 1 : -1);
      } else if (event.key === "[" || event.key === "]") {
        event.preventDefault();
        jump(event.key === "]" ? 1 : -1);
      } else if (event.key === "n") {
        const box = root.querySelector("#note-body");
        if (box) {
          event.preventDefault();
          video.pause();
          syncForm();
          box.focus();
        }
      }
    });

    ["timeupdate", "seeked", "pause", "loadedmetadata"].forEach((name) =>
      video.addEventListener(name, syncForm),
    );
    video.addEventListener("loadedmetadata", () => {
      layout();
      const wanted = /^#note-(\d+)$/.exec(window.location.hash);
      const marker = wanted && root.querySelector(`.marker[data-note="${wanted[1]}"]`);
      if (marker) show(marker);
    });
    // After a note is saved the lists are swapped in: place the new markers, forget the drawing.
    document.body.addEventListener("htmx:afterSwap", () => {
      layout();
      syncForm();
    });
    // A teammate's note arrived (static/js/live.js swapped the lists): place its marker.
    document.addEventListener("notes:refreshed", () => {
      layout();
      syncForm();
    });
    document.body.addEventListener("htmx:afterRequest", (event) => {
      const form = event.detail.elt;
      if (form && form.classList && form.classList.contains("note-form") && event.detail.successful) {
        drawing = null;
        choose(null);
        renderDrawn();
      }
    });
    layout();
    syncForm();
  }

  function start() {
    document.querySelectorAll("[data-frame-notes]").forEach(setup);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
