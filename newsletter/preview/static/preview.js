// The preview's only script: live reload over server-sent events, iframes that grow to
// their email, and the recipient menu that applies itself. Everything else is plain links.
(function () {
  "use strict";
  var body = document.body;
  var status = document.getElementById("status");

  if (window.EventSource && body.dataset.generation !== undefined) {
    var events = new EventSource("/events?since=" + encodeURIComponent(body.dataset.generation));
    events.addEventListener("building", function (event) {
      if (status) { status.hidden = event.data !== "1"; }
    });
    events.addEventListener("reload", function () {
      events.close();
      window.location.reload();
    });
  }

  function fit(frame) {
    try {
      var root = frame.contentDocument && frame.contentDocument.documentElement;
      if (root) { frame.style.height = root.scrollHeight + "px"; }
    } catch (error) { /* not same-origin: keep the fixed height */ }
  }

  document.querySelectorAll("iframe.email").forEach(function (frame) {
    frame.addEventListener("load", function () {
      fit(frame);
      if (window.ResizeObserver && frame.contentDocument) {
        new ResizeObserver(function () { fit(frame); }).observe(frame.contentDocument.documentElement);
      }
    });
  });

  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();
