/*
 * The delegation's page and form (templates/delegations/).
 *
 * After an add in a section (htmx swaps the section in), the focus goes to the
 * first field with an error, or to the add form's first field for the next one
 * (form[data-focus]), so keyboard users carry on where they were. After a
 * removal the row's button is gone: the message (or the refusal) in the
 * section takes the focus ([data-section-focus]).
 *
 * A row's removal (templates/delegations/_row_delete.html) is a link to the
 * page that asks first; where the page's dialog can ask (static/js/confirm.js
 * needs <dialog>), the link gives way to the form beside it, which asks in the
 * dialog and posts, and htmx swaps the section in.
 *
 * On the delegation form, choosing the city asks data-city-partnerships for the
 * city's active partnerships: the only one is filled in, several narrow the
 * partnership picker to them. The server fills in the only one too.
 */
(function () {
  "use strict";

  function offerDeleteButtons(root) {
    if (typeof HTMLDialogElement !== "function" || !root.querySelectorAll) {
      return;
    }
    Array.prototype.forEach.call(root.querySelectorAll(".row-delete"), function (holder) {
      var link = holder.querySelector("a");
      var form = holder.querySelector("form[data-confirm]");
      if (link && form) {
        link.hidden = true;
        form.hidden = false;
      }
    });
  }

  document.addEventListener("htmx:load", function (event) {
    var section = event.target;
    offerDeleteButtons(section);
    if (!section.classList || !section.classList.contains("object-section")) {
      return;
    }
    var invalid = section.querySelector(
      "input[aria-invalid=true]:not([hidden]), select[aria-invalid=true]:not([hidden]), textarea[aria-invalid=true]"
    );
    var form = section.querySelector("form[data-focus]");
    var next = invalid || section.querySelector("[data-section-focus]") || (form && section.querySelector(form.dataset.focus));
    if (next) {
      next.focus();
    }
  });

  function choose(select, id, label) {
    var option = Array.prototype.find.call(select.options, function (existing) {
      return existing.value === id;
    });
    if (!option && id) {
      option = document.createElement("option");
      option.value = id;
      option.textContent = label;
      select.appendChild(option);
    }
    select.value = id;
    select.dispatchEvent(new Event("search-select:refresh"));
  }

  function fillPartnership(form) {
    var partnership = form.querySelector("select[data-city-partnerships]");
    var city = form.querySelector("select[name=city]");
    if (!partnership || !city) {
      return;
    }
    var everyPartnership = partnership.dataset.search;
    city.addEventListener("change", function () {
      if (!city.value) {
        partnership.dataset.search = everyPartnership;
        return;
      }
      var url = partnership.dataset.cityPartnerships + "?city=" + encodeURIComponent(city.value);
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (answer) {
          if (!answer || answer.results.length === 0) {
            partnership.dataset.search = everyPartnership;
            return;
          }
          partnership.dataset.search = url;
          if (answer.results.length === 1) {
            choose(partnership, answer.results[0].id, answer.results[0].label);
          } else if (!answer.results.some(function (match) { return match.id === partnership.value; })) {
            choose(partnership, "", "");
          }
        });
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form"), fillPartnership);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
