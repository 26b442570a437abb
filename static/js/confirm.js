/*
 * Asks before a destructive step: any <form data-confirm="Message"> opens a
 * native <dialog> with the message and two buttons, data-confirm-yes (the
 * step's own words) and data-confirm-no ("Go back"). Focus moves into the
 * dialog (onto "Go back"), Escape closes it, and focus returns to the button
 * that asked. Without JavaScript, or without <dialog>, the form submits as before.
 *
 * A link to a confirmation page may ask in the dialog instead:
 * <a href="…/delete/" data-confirm="Message" data-confirm-form="an-id"> with,
 * on the page, <form id="an-id" method="post" action="…/delete/" hidden>
 * holding the CSRF token and the version shown. Yes submits that form; without
 * JavaScript, or without <dialog>, the link opens the confirmation page as before.
 *
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

  // Opens the dialog for ``form``; ``asker`` (the button or link) holds the words and gets the focus back.
  function ask(form, asker, texts, fallbackYes) {
    if (!dialog) {
      build();
    }
    pending = form;
    returnTo = asker;
    message.textContent = texts.confirm;
    yes.textContent = texts.confirmYes || fallbackYes || "OK";
    no.textContent = texts.confirmNo || "×";
    dialog.showModal();
    no.focus();
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
      var button = event.submitter || form.querySelector("button[type=submit], button:not([type])");
      ask(form, event.submitter || document.activeElement, form.dataset, button ? button.textContent : "");
    },
    true
  );

  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element ? event.target.closest("a[data-confirm][data-confirm-form]") : null;
    if (!link || event.defaultPrevented || event.button !== 0) {
      return;
    }
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
      return; // a new tab or window: the confirmation page asks there
    }
    var form = document.getElementById(link.dataset.confirmForm);
    if (!(form instanceof HTMLFormElement) || typeof HTMLDialogElement !== "function") {
      return;
    }
    event.preventDefault();
    ask(form, link, link.dataset, link.textContent);
  });
})();
