/*
 * Feedback where the eye is (templates/partials/messages.html, form_errors.html).
 *
 * - The error summary of a form is focused on load, so it is seen and read out
 *   first; its links move the focus to the field and show the field's label.
 * - Messages stay in view (CSS: sticky); this adds a button that dismisses each
 *   one, reads them out once the page has loaded (a live region's text present
 *   at load is not announced by every screen reader), and keeps a section the
 *   page opened at (#participants) below the sticky messages instead of under them.
 *
 * No inline script or style (strict CSP): styles are set through the CSSOM.
 */
(function () {
  "use strict";

  function focusSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) {
      return false;
    }
    summary.focus();
    summary.scrollIntoView({ block: "start" });
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) {
        return;
      }
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (!field) {
        return;
      }
      event.preventDefault();
      var label =
        field.closest("fieldset") ||
        (field.id && document.querySelector("label[for='" + field.id + "']")) ||
        field;
      label.scrollIntoView({ block: "start" });
      field.focus({ preventScroll: true });
    });
    return true;
  }

  function keepTargetBelow(region) {
    var height = region ? region.getBoundingClientRect().height : 0;
    document.documentElement.style.setProperty("--oia-messages-height", Math.ceil(height) + "px");
  }

  function scrollToTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target) {
      target.scrollIntoView({ block: "start" });
    }
  }

  function dismissible(region, button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var message = button.closest(".message");
      var next = message.nextElementSibling || message.previousElementSibling;
      message.remove();
      if (next) {
        var nextButton = next.querySelector("[data-dismiss-message]");
        (nextButton || next).focus();
      } else {
        region.remove();
        document.getElementById("main").focus({ preventScroll: true });
      }
      keepTargetBelow(next ? region : null);
    });
  }

  function enhanceMessages(summaryFocused) {
    var region = document.querySelector("[data-messages]");
    if (!region) {
      return;
    }
    region.querySelectorAll("[data-dismiss-message]").forEach(function (button) {
      dismissible(region, button);
    });
    keepTargetBelow(region);
    if (!summaryFocused) {
      scrollToTarget();
    }
    // Read the messages out: a live region announces a change of its text, not
    // what it held on load. The visible messages stay as they are.
    var announcer = document.createElement("div");
    announcer.className = "visually-hidden";
    announcer.setAttribute("aria-live", "polite");
    document.body.appendChild(announcer);
    window.setTimeout(function () {
      announcer.textContent = Array.prototype.map
        .call(region.querySelectorAll(".message-text"), function (text) {
          return text.textContent;
        })
        .join(" ");
    }, 200);
  }

  // A request made in place that brings nothing to show (the row was deleted
  // meanwhile: 404; refused; the server failed or was out of reach) says so
  // where the page's messages are, instead of doing nothing visible.
  function requestFailed(kind, status) {
    var template = document.getElementById("request-failed");
    if (!template) {
      return;
    }
    var message = template.content.querySelector(".message").cloneNode(true);
    message.querySelector(".message-text").textContent = template.dataset[kind].replace("%(status)s", status);
    var region = document.querySelector("[data-messages]");
    if (!region) {
      region = document.createElement("div");
      region.className = "messages";
      region.id = "messages";
      region.setAttribute("data-messages", "");
      var main = document.getElementById("main");
      main.insertBefore(region, main.firstChild);
    }
    region.appendChild(message);
    dismissible(region, message.querySelector("[data-dismiss-message]"));
    keepTargetBelow(region);
  }

  function start() {
    var summaryFocused = focusSummary();
    enhanceMessages(summaryFocused);
    document.body.addEventListener("htmx:responseError", function (event) {
      var status = event.detail.xhr.status;
      requestFailed(status === 404 ? "gone" : "refused", status);
    });
    document.body.addEventListener("htmx:sendError", function () {
      requestFailed("offline", "");
    });
    // A form swapped in by htmx (inline add on a record's page) that comes back with errors.
    document.body.addEventListener("htmx:afterSettle", function (event) {
      var summary = event.detail.elt.querySelector && event.detail.elt.querySelector("[data-error-summary]");
      if (summary) {
        summary.focus();
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
