/*
 * The delegation's page and form (templates/delegations/).
 *
 * After an add in a section (htmx swaps the section in), the focus goes to the
 * first field with an error, or to the add form's first field for the next one
 * (form[data-focus]), so keyboard users carry on where they were.
 *
 * On the delegation form, choosing the city asks data-city-partnerships for the
 * city's active partnerships: the only one is filled in, several narrow the
 * partnership picker to them. The server fills in the only one too.
 */
(function () {
  "use strict";

  document.addEventListener("htmx:load", function (event) {
    var section = event.target;
    if (!section.classList || !section.classList.contains("object-section")) {
      return;
    }
    var invalid = section.querySelector(
      "input[aria-invalid=true]:not([hidden]), select[aria-invalid=true]:not([hidden]), textarea[aria-invalid=true]"
    );
    var form = section.querySelector("form[data-focus]");
    var next = invalid || (form && section.querySelector(form.dataset.focus));
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
