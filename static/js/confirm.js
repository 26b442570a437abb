/*
 * Asks before a destructive step: any <form data-confirm="Message"> opens a
 * native <dialog> with the message and two buttons, data-confirm-yes (the
 * step's own words) and data-confirm-no ("Go back"). Focus moves into the
 * dialog (onto "Go back"), Escape closes it, and focus returns to the button
 * that asked. Without JavaScript, or without <dialog>, the form submits as before.
 * The submit is stopped before it reaches the form, so a form that htmx sends
 * (hx-post) is sent only once confirmed.
 * No inline script or style (strict CSP).
 */
(function () {
  "use strict";

  var dialog = null;
  var message = null;
  var yes = null;
  var no = null;
  var pending = null;
  var returnTo = null;

  function make(tag, attributes) {
    var element = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      element.setAttribute(name, attributes[name]);
    });
    return element;
  }

  function build() {
    dialog = make("dialog", { class: "confirm-dialog", "aria-labelledby": "confirm-dialog-message" });
    var article = make("article");
    message = make("p", { id: "confirm-dialog-message" });
    var footer = make("footer");
    no = make("button", { type: "button", class: "secondary", id: "confirm-dialog-no" });
    yes = make("button", { type: "button", id: "confirm-dialog-yes" });
    footer.appendChild(no);
    footer.appendChild(yes);
    article.appendChild(message);
    article.appendChild(footer);
    dialog.appendChild(article);
    document.body.appendChild(dialog);

    no.addEventListener("click", function () {
      dialog.close();
    });
    yes.addEventListener("click", function () {
      var form = pending;
      returnTo = null; // the page goes on to the answer
      dialog.close();
      form.dataset.confirmed = "1";
      if (form.requestSubmit) {
        form.requestSubmit();
      } else {
        form.submit();
      }
    });
    dialog.addEventListener("close", function () {
      pending = null;
      if (returnTo) {
        returnTo.focus();
        returnTo = null;
      }
    });
  }

  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-confirm")) {
        return;
      }
      if (form.dataset.confirmed) {
        delete form.dataset.confirmed;
        return;
      }
      if (typeof HTMLDialogElement !== "function") {
        return;
      }
      event.preventDefault();
      event.stopPropagation();
      if (!dialog) {
        build();
      }
      var button = event.submitter || form.querySelector("button[type=submit], button:not([type])");
      pending = form;
      returnTo = event.submitter || document.activeElement;
      message.textContent = form.dataset.confirm;
      yes.textContent = form.dataset.confirmYes || (button ? button.textContent : "OK");
      no.textContent = form.dataset.confirmNo || "×";
      dialog.showModal();
      no.focus();
    },
    true
  );
})();
