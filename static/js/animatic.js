// The animatic player (templates/projects/animatic.html): the cut's segments on one timeline.
// A take plays its video from 0 for the shot's duration (cut off there, or its last frame held
// when the video is shorter); a hero frame is held with a slow push in; a title card shows the
// shot's label and action. While a take's video plays, the clock follows the video, so picture
// and sound stay together and a take still loading holds the clock instead of being skipped.
(() => {
  const TAKE = "take";
  const FRAME = "frame";
  const PUSH_IN = 0.08; // a held frame grows 8% over its shot: reads as a slow push in
  const LAST_FRAME = 0.04; // seconds before a video's end that count as its last frame
  const LONGEST_STEP = 0.25; // a stalled page resumes where it was, it does not leap ahead
  const WINDOW = 1; // takes kept loaded either side of the current shot (the next is preloaded)
  // Where keys are typing, not playing.
  const TYPING =
    "textarea, select, [contenteditable], input:not([type=range]):not([type=checkbox])";

  function timecode(seconds, fps) {
    const frames = Math.max(0, Math.floor(seconds * fps + 1e-6));
    const whole = Math.floor(frames / fps);
    const pad = (n) => String(n).padStart(2, "0");
    const hours = Math.floor(whole / 3600);
    const minutes = Math.floor(whole / 60) % 60;
    return `${pad(hours)}:${pad(minutes)}:${pad(whole % 60)}:${pad(frames % fps)}`;
  }

  function titleCard(segment) {
    const card = document.createElement("div");
    const line = (className, text) => {
      const p = document.createElement("p");
      p.className = className;
      p.textContent = text;
      card.append(p);
    };
    line("title-scene", `Scene ${segment.scene_number}: ${segment.scene_title}`);
    line("title-label", segment.label);
    if (segment.action) line("title-action", segment.action);
    if (segment.dialogue) line("title-dialogue", segment.dialogue);
    return card;
  }

  function layerFor(segment) {
    let node;
    if (segment.source === TAKE) {
      node = document.createElement("video");
      node.preload = "none"; // until it is the current or the next shot
      node.playsInline = true;
    } else if (segment.source === FRAME) {
      node = document.createElement("img");
      node.alt = `Hero frame of shot ${segment.label}`;
      node.decoding = "async";
    } else {
      node = titleCard(segment);
    }
    node.classList.add("layer", `layer-${segment.source}`);
    node.hidden = true;
    return node;
  }

  function setup(root) {
    const cut = JSON.parse(document.getElementById(root.dataset.source).textContent);
    const segments = cut.segments;
    if (!segments.length) return;
    const fps = cut.fps || 24;
    const total = cut.duration;
    const stage = root.querySelector(".stage");
    const scrubber = root.querySelector("[data-scrubber]");
    const strip = root.querySelector("[data-strip]");
    const playButton = root.querySelector("[data-action=play]");
    const loop = root.querySelector("[data-loop]");
    const overlaysBox = root.querySelector("[data-overlays]");
    const overlays = root.querySelectorAll("[data-overlay]");
    const shotLabel = root.querySelector("[data-shot-label]");
    const shotSource = root.querySelector("[data-shot-source]");
    const timecodeOverlay = root.querySelector("[data-timecode]");
    const clock = root.querySelector("[data-clock]");
    const status = root.querySelector("[data-status]");
    const list = root.querySelector(".animatic-shots");
    const rows = Array.from(root.querySelectorAll("[data-shot-row]"));
    const stillPictures = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

    let index = -1; // the current segment
    let t = 0; // seconds on the cut
    let playing = false;
    let last = 0; // the previous animation frame's timestamp
    let frameRequest = 0;
    let scrubbingFrom = null; // whether it was playing when a drag on the scrubber began
    const failed = new Set(); // segments whose media would not load: their time still passes
    const pending = new Map(); // video -> where it should start once its length is known

    if (/^\d+:\d+$/.test(cut.aspect_ratio || "")) {
      stage.style.aspectRatio = cut.aspect_ratio.replace(":", " / ");
    }
    root.querySelector("[data-total]").textContent = timecode(total, fps);

    const layers = segments.map((segment, i) => {
      const node = layerFor(segment);
      node.addEventListener("error", () => {
        if (!node.getAttribute("src")) return; // let go of on purpose (release)
        failed.add(i);
        if (i === index) say(unplayable(segment));
      });
      if (segment.source === TAKE) {
        node.addEventListener("loadedmetadata", () => {
          if (!pending.has(node)) return;
          const local = pending.get(node);
          pending.delete(node);
          placeVideo(node, local);
          if (i === index) syncMedia();
        });
      }
      stage.querySelector(".layers").append(node);
      return node;
    });

    // The strip above the scrubber: one block a shot, so its edges are the shot boundaries.
    segments.forEach((segment) => {
      const block = document.createElement("span");
      block.className = `source-${segment.source}`;
      block.style.flexGrow = String(segment.duration);
      strip.append(block);
    });

    function say(message) {
      status.textContent = message;
    }

    const unplayable = (segment) =>
      `Shot ${segment.label}: the ${segment.source_words} could not be loaded.`;

    function indexAt(time) {
      let found = 0;
      segments.forEach((segment, i) => {
        if (segment.start <= time + 1e-9) found = i;
      });
      return found;
    }

    // Load the current shot's media and the next one's (so the cut does not wait at the
    // boundary); let go of takes further away, so a long film does not hold every video.
    function prepare(i) {
      const segment = segments[i];
      const node = layers[i];
      if (!segment || segment.source === "title" || node.getAttribute("src")) return;
      if (segment.source === TAKE) node.preload = "auto";
      node.src = segment.media_url;
    }

    function release(i) {
      const node = layers[i];
      if (segments[i].source !== TAKE || !node.getAttribute("src")) return;
      node.pause();
      pending.delete(node);
      node.removeAttribute("src");
      node.load();
    }

    function keepNear(i) {
      const next = i + 1 < segments.length ? i + 1 : loop.checked ? 0 : -1;
      segments.forEach((_, j) => {
        if (j === i || j === next) prepare(j);
        else if (Math.abs(j - i) > WINDOW) release(j);
      });
    }

    function activate(i) {
      if (i === index) return;
      if (index >= 0) {
        layers[index].hidden = true;
        if (segments[index].source === TAKE) layers[index].pause();
        rows[index].removeAttribute("aria-current");
      }
      index = i;
      const segment = segments[i];
      keepNear(i);
      layers[i].hidden = false;
      rows[i].setAttribute("aria-current", "true");
      shotLabel.textContent = segment.label;
      shotSource.textContent = `scene ${segment.scene_number} · ${segment.source_words}`;
      say(failed.has(i) ? unplayable(segment) : "");
      showRow(rows[i].parentElement);
    }

    function showRow(item) {
      // Only the list scrolls, never the page under the player (the list is the offsetParent).
      const top = item.offsetTop;
      if (top < list.scrollTop || top + item.offsetHeight > list.scrollTop + list.clientHeight) {
        list.scrollTop = Math.max(0, top - list.clientHeight / 2);
      }
    }

    function placeVideo(video, local) {
      if (video.readyState < 1) {
        pending.set(video, local); // its length is not known yet: where its last frame is
        return;
      }
      const target = Math.max(0, Math.min(local, video.duration - LAST_FRAME / 2));
      if (Math.abs(video.currentTime - target) > 1e-3) video.currentTime = target;
    }

    function startVideo(video) {
      video.muted = false; // the user pressed play: sound is allowed
      const attempt = video.play();
      if (!attempt) return;
      attempt.catch((error) => {
        // An AbortError is a pause or a new shot interrupting the start: nothing to do.
        if (error.name !== "NotAllowedError" || video.muted) return;
        video.muted = true; // the browser refuses sound here: play the picture without it
        say("The browser blocked the sound: the picture plays without it.");
        if (playing && video === layers[index]) video.play().catch(() => {});
      });
    }

    function heldToTheEnd(video, local) {
      return video.ended || (video.readyState >= 1 && local >= video.duration - LAST_FRAME);
    }

    // Put the current segment's media where the clock is, playing or not.
    function syncMedia() {
      const segment = segments[index];
      const node = layers[index];
      const local = t - segment.start;
      if (segment.source === TAKE && node.getAttribute("src")) {
        placeVideo(node, local);
        const canRun = !failed.has(index) && !pending.has(node) && !heldToTheEnd(node, local);
        if (playing && canRun) startVideo(node);
        else node.pause();
      }
      render();
    }

    function render() {
      const segment = segments[index];
      const code = timecode(t, fps);
      scrubber.value = String(t);
      scrubber.setAttribute("aria-valuetext", `${code}, shot ${segment.label}`);
      timecodeOverlay.textContent = code;
      clock.textContent = code;
      if (segment.source === FRAME && !stillPictures) {
        const share = Math.min(1, Math.max(0, (t - segment.start) / segment.duration));
        layers[index].style.transform = `scale(${(1 + PUSH_IN * share).toFixed(4)})`;
      }
    }

    function seek(time) {
      t = Math.min(Math.max(0, time), total);
      activate(indexAt(t));
      syncMedia();
    }

    // The clock during a take: the video's own time while it plays; the wall clock once its
    // last frame is held, or when it could not load; still while it is loading.
    function takeClock(segment, video, dt) {
      const local = t - segment.start;
      if (failed.has(index) || !video.getAttribute("src")) return t + dt;
      if (pending.has(video) || video.readyState < 1) return t;
      if (heldToTheEnd(video, local)) return t + dt;
      if (video.paused) return t + dt; // the browser refused to play it: the cut goes on
      return segment.start + video.currentTime;
    }

    function advance(dt) {
      const segment = segments[index];
      t = segment.source === TAKE ? takeClock(segment, layers[index], dt) : t + dt;
      if (t < segment.start + segment.duration) {
        render();
        return;
      }
      if (index + 1 < segments.length) seek(t);
      else if (loop.checked) seek(0);
      else {
        seek(total);
        pause();
      }
    }

    function tick(now) {
      frameRequest = 0;
      if (!playing) return;
      const dt = last ? Math.min(LONGEST_STEP, (now - last) / 1000) : 0;
      last = now;
      advance(dt);
      if (playing) frameRequest = requestAnimationFrame(tick);
    }

    function play() {
      if (playing) return;
      playing = true;
      last = 0;
      playButton.textContent = "Pause";
      if (t >= total - 1e-6) seek(0);
      else syncMedia();
      frameRequest = requestAnimationFrame(tick);
    }

    function pause() {
      playing = false;
      playButton.textContent = "Play";
      if (frameRequest) cancelAnimationFrame(frameRequest);
      frameRequest = 0;
      if (segments[index].source === TAKE) layers[index].pause();
      render();
    }

    const toggle = () => (playing ? pause() : play());

    function jump(step) {
      const target = index + step;
      if (target >= segments.length) return;
      seek(target < 0 ? 0 : segments[target].start);
    }

    playButton.addEventListener("click", toggle);
    root.querySelector("[data-action=previous]").addEventListener("click", () => jump(-1));
    root.querySelector("[data-action=next]").addEventListener("click", () => jump(1));
    rows.forEach((row) => {
      row.addEventListener("click", () => seek(segments[Number(row.dataset.index)].start));
    });
    overlaysBox.addEventListener("change", () => {
      overlays.forEach((overlay) => {
        overlay.hidden = !overlaysBox.checked;
      });
    });
    loop.addEventListener("change", () => keepNear(index));

    // Dragging the scrubber pauses the picture under the finger, and plays on when let go.
    scrubber.addEventListener("pointerdown", () => {
      scrubbingFrom = playing;
      if (playing) pause();
    });
    scrubber.addEventListener("input", () => seek(Number(scrubber.value)));
    const letGo = () => {
      if (scrubbingFrom) play();
      scrubbingFrom = null;
    };
    scrubber.addEventListener("change", letGo);
    scrubber.addEventListener("pointerup", letGo);
    scrubber.addEventListener("lostpointercapture", letGo);
    strip.addEventListener("click", (event) => {
      const box = strip.getBoundingClientRect();
      seek(((event.clientX - box.left) / box.width) * total);
    });

    document.addEventListener("keydown", (event) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      const target = event.target instanceof Element ? event.target : document.body;
      if (target.closest(TYPING)) return;
      if (event.key === " ") {
        // A focused button, link or box answers Space itself (press, follow, tick).
        if (target.closest("button, a, input[type=checkbox]")) return;
        event.preventDefault();
        toggle();
      } else if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
        event.preventDefault(); // on the scrubber too: arrows move by shots here
        jump(event.key === "ArrowRight" ? 1 : -1);
      }
    });
    // Hidden, the page gets no animation frames: stop rather than let a take run past its cut.
    document.addEventListener("visibilitychange", () => {
      if (document.hidden && playing) pause();
    });

    seek(0);
  }

  document.querySelectorAll("[data-animatic]").forEach(setup);
})();
