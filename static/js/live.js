// Boards that update live (docs/decisions/010-live-boards.md). Wired by #live's data-
// attributes (templates/projects/live.html): server-sent events when the page offers a stream,
// else a conditional poll every 1.5 s. Each change refreshes only what it touched.
(function () {
  "use strict";
  var POLL_MS = 1500;

  function start(bar) {
    var d = bar.dataset;
    var place = d.livePlace;
    var cursor = null;
    var etag = null;
    var names = bar.querySelector(".here-names");

    function withId(url, id) {
      var at = url.lastIndexOf("/1/");
      return url.slice(0, at) + "/" + id + "/" + url.slice(at + 3);
    }

    function showHere(here) {
      var others = here.filter(function (name) { return name !== d.liveMe; });
      names.textContent = others.length ? others.join(", ") + " and you" : "just you";
    }

    function banner(text) {
      var box = bar.querySelector(".live-banner");
      box.querySelector(".live-banner-text").textContent = text;
      box.hidden = false;
    }

    function swap(url, target, swapStyle) {
      return htmx.ajax("GET", url, { target: target, swap: swapStyle || "outerHTML" });
    }

    function busyIn(el) {
      // Never throw away what someone is typing: a focused form, a card open for editing, or
      // a text box changed from what the page gave it.
      var active = document.activeElement;
      if (el.querySelector(".editing") || (active && active.form && el.contains(active))) return true;
      return Array.prototype.some.call(el.querySelectorAll("textarea"), function (box) {
        return box.value !== box.defaultValue;
      });
    }

    function showUnread(count) {
      var link = document.querySelector(".notifications-link");
      if (!link || typeof count !== "number") return;
      var badge = link.querySelector(".unread-count");
      if (!count) { if (badge) badge.remove(); return; }
      if (!badge) {
        badge = document.createElement("span");
        badge.className = "unread-count";
        link.appendChild(document.createTextNode(" "));
        link.appendChild(badge);
      }
      badge.textContent = String(count);
      badge.setAttribute("aria-label", count + " unread");
    }

    function refreshComments(who) {
      var panel = document.getElementById("comments");
      if (!panel || !d.liveComments) return;
      if (busyIn(panel)) { banner((who || "Someone") + " commented —"); return; }
      swap(d.liveComments, "#comments");
    }

    function refreshBoard(who) {
      var board = document.getElementById("board");
      if (!board) return;
      if (busyIn(board)) banner((who || "Someone") + " changed the board");
      else swap(d.liveBoard, "#board");
    }

    function refreshCard(change) {
      var card = document.getElementById("shot-" + change.shot);
      if (!card) return refreshBoard(change.who);
      if (card.classList.contains("editing")) {
        banner((change.who || "Someone") + " changed shot card you are editing");
        return;
      }
      fetch(withId(d.liveCard, change.shot), { headers: { "HX-Request": "true" } }).then(function (r) {
        if (r.status === 404) { card.remove(); return; }
        if (!r.ok) return;
        var grid = card.closest(".shot-grid");
        if (grid && grid.dataset.sceneId !== r.headers.get("X-Scene-Id")) return refreshBoard(change.who);
        return r.text().then(function (html) {
          var holder = document.createElement("template");
          holder.innerHTML = html.trim();
          var fresh = holder.content.firstElementChild;
          if (fresh) { card.replaceWith(fresh); htmx.process(fresh); }
        });
      });
    }

    function replaceCard(takeId, url, tries) {
      // Fetched, then swapped only if nothing else (the card's own poll, an out-of-band swap
      // from the page's own action) changed the card meanwhile: a slower answer would put
      // back what was there before. Then it asks again, once.
      var card = document.getElementById("take-" + takeId);
      var before = card.outerHTML;
      fetch(url, { headers: { "HX-Request": "true" } }).then(function (r) {
        return r.ok ? r.text() : null;
      }).then(function (html) {
        var now = document.getElementById("take-" + takeId);
        if (!html || !now) return;
        if (now.outerHTML !== before) { if (tries > 0) replaceCard(takeId, url, tries - 1); return; }
        var holder = document.createElement("template");
        holder.innerHTML = html.trim();
        var fresh = holder.content.firstElementChild;
        if (fresh) { now.replaceWith(fresh); htmx.process(fresh); }
      });
    }

    function refreshTake(takeId, mine, always) {
      var url = withId(d.liveTake, takeId);
      var card = document.getElementById("take-" + takeId);
      // A card on the page follows its own take (it polls itself while in flight); swapping
      // it here as well would race that poll and the page's own swaps. A circle changes
      // cards that do not poll, so it asks for them ("always").
      if (card) return always ? replaceCard(takeId, url, 1) : null;
      // A take this person just asked for is put in by the page that asked (its own swap):
      // adding it here too would race that swap and show the card twice.
      if (mine) return;
      var list = document.querySelector(".take-list");
      if (!list) return;
      fetch(url, { headers: { "HX-Request": "true" } }).then(function (r) {
        return r.ok ? r.text() : null;
      }).then(function (html) {
        if (!html || document.getElementById("take-" + takeId)) return;  // arrived meanwhile
        var holder = document.createElement("template");
        holder.innerHTML = html.trim();
        var fresh = holder.content.firstElementChild;
        // Hero-frame candidates are takes too, but they have their own panel.
        if (!fresh || fresh.dataset.kind !== "video") return;
        var empty = list.querySelector(".empty");
        if (empty) empty.remove();
        list.prepend(fresh);
        htmx.process(fresh);
      });
    }

    function refreshNotes(who) {
      // The take review page: its notes and the timeline's markers, from the page itself.
      var notes = document.getElementById("take-notes");
      if (busyIn(notes)) { banner((who || "Someone") + " left a note —"); return; }
      fetch(window.location.pathname, { cache: "no-store" }).then(function (r) {
        return r.ok ? r.text() : null;
      }).then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html");
        ["take-notes", "note-markers"].forEach(function (id) {
          var now = document.getElementById(id);
          var next = fresh.getElementById(id);
          if (now && next) { now.replaceWith(next); htmx.process(next); }
        });
        document.dispatchEvent(new CustomEvent("notes:refreshed"));
      });
    }

    function onShotPage(change) {
      var shotId = Number(place.slice(5));
      if (change.shot !== shotId) return;
      var mine = change.who && change.who === d.liveMe;
      if (document.getElementById("take-notes")) {
        if (!mine && (change.kind === "commented" || change.kind === "comment_resolved")) {
          refreshNotes(change.who);
        }
        return;
      }
      if (change.kind === "commented" || change.kind === "comment_resolved") {
        refreshComments(change.who);
      }
      if (change.kind === "take_circled") {
        document.querySelectorAll(".take-list .take-card").forEach(function (el) {
          refreshTake(el.id.slice(5), mine, true);
        });
      } else if (change.take) {
        refreshTake(change.take, mine);
      }
      if (mine) return;
      if (change.kind === "shot_edited" || change.kind === "shot_approved") {
        banner((change.who || "Someone") + " changed this shot —");
      } else if (change.kind === "shot_deleted") {
        banner((change.who || "Someone") + " deleted this shot —");
      }
    }

    function apply(change) {
      if (cursor === null || change.cursor > cursor) cursor = change.cursor;
      if (place === "board") {
        if (change.shot) refreshCard(change);
        else if (change.scene) refreshBoard(change.who);
      } else {
        onShotPage(change);
      }
    }

    function poll() {
      var url = d.livePoll + "?place=" + encodeURIComponent(place) + (cursor === null ? "" : "&since=" + cursor);
      var headers = etag ? { "If-None-Match": etag } : {};
      return fetch(url, { headers: headers, cache: "no-store" }).then(function (r) {
        if (r.status !== 200) return;
        etag = r.headers.get("ETag");
        return r.json().then(function (body) {
          var first = cursor === null;
          body.changes.forEach(apply);
          if (first || body.cursor > cursor) cursor = body.cursor;
          showHere(body.here);
          showUnread(body.unread);
        });
      }).catch(function () { /* offline for a moment: the next poll tries again */ });
    }

    function keepPolling() {
      poll().then(function () { window.setTimeout(keepPolling, POLL_MS); });
    }

    function listen() {
      var source = new EventSource(d.liveStream + "?place=" + encodeURIComponent(place));
      var opened = false;
      source.addEventListener("open", function () {
        // After a reconnect, fetch what was said while the stream was down.
        if (opened) poll();
        opened = true;
      });
      source.addEventListener("change", function (event) {
        apply(JSON.parse(event.data));
        poll();  // nothing new to fetch, but the viewer's unread count may have moved
      });
      source.addEventListener("here", function (event) { showHere(JSON.parse(event.data)); });
      source.addEventListener("error", function () {
        if (source.readyState === EventSource.CLOSED) keepPolling();
      });
    }

    var reload = bar.querySelector(".live-reload");
    reload.addEventListener("click", function (event) {
      event.preventDefault();
      window.location.reload();
    });

    if (d.liveStream && window.EventSource) poll().then(listen);
    else keepPolling();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var bar = document.getElementById("live");
    if (bar) start(bar);
  });
})();
