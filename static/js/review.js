// Review links for guests: count the view once (a small POST, since a GET never writes), and
// "use the current time" on a take's note form.
(function () {
  "use strict";

  function countView() {
    var form = document.querySelector("form[data-review-seen]");
    if (!form || !window.fetch) return;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    }).catch(function () {});
  }

  function wireNoteForms() {
    document.querySelectorAll("form[data-review-note]").forEach(function (form) {
      var video = document.getElementById(form.getAttribute("data-review-note"));
      var at = form.querySelector("[data-review-at]");
      var now = form.querySelector("[data-review-now]");
      if (!video || !at || !now) return;
      now.addEventListener("click", function () {
        video.pause();
        at.value = video.currentTime.toFixed(3);
        var body = form.querySelector("textarea[name=body]");
        if (body) body.focus();
      });
    });
  }

  // The owner's list: copy a link's full address.
  function wireCopyButtons() {
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        var source = document.getElementById(button.getAttribute("data-copy"));
        if (!source || !navigator.clipboard) return;
        navigator.clipboard.writeText(source.textContent.trim()).then(function () {
          button.textContent = "Copied";
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    countView();
    wireCopyButtons();
    wireNoteForms();
  });
})();
