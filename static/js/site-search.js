/*
 * The header's search box (templates/partials/site_search.html): turns the
 * plain search form into a WAI-ARIA 1.2 combobox whose listbox shows the
 * suggestions of /search/suggestions/ grouped by kind (role="group" with a
 * presentational heading), then an option leading to all results.
 *
 * Keys: Down/Up move through the options (Down opens the list), Enter opens
 * the chosen record (or, with none chosen, submits the form to the results
 * page), Escape closes the list (a second Escape clears the text). A live
 * region says how many records were found. Without this script the form
 * still leads to the results page. No inline script or style (strict CSP).
 */
(function () {
  "use strict";

  var DELAY_MS = 200;

  function make(tag, attributes, text) {
    var element = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      element.setAttribute(name, attributes[name]);
    });
    if (text) {
      element.textContent = text;
    }
    return element;
  }

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  function enhance(form) {
    var input = form.querySelector("input[name=q]");
    if (!input || form.dataset.siteSearchReady) {
      return;
    }
    form.dataset.siteSearchReady = "1";
    var wrapper = form.parentNode;
    var listboxId = input.id + "-listbox";
    var listbox = make("div", {
      id: listboxId,
      role: "listbox",
      class: "site-search-listbox",
      "aria-label": form.dataset.listboxLabel,
    });
    var status = make("div", { role: "status", "aria-live": "polite", class: "visually-hidden" });
    listbox.hidden = true;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listboxId);
    wrapper.appendChild(listbox);
    wrapper.appendChild(status);

    var options = [];
    var active = -1;
    var timer = null;
    var asked = 0;

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      setActive(-1);
    }

    function open() {
      if (options.length) {
        listbox.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
    }

    function setActive(index) {
      options.forEach(function (option, position) {
        option.setAttribute("aria-selected", position === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function addOption(parent, url, label, description, extraClass) {
      var option = make("div", {
        id: listboxId + "-" + options.length,
        role: "option",
        "aria-selected": "false",
        "data-url": url,
      });
      if (extraClass) {
        option.className = extraClass;
      }
      option.appendChild(make("span", {}, label));
      if (description) {
        option.appendChild(make("small", {}, description));
      }
      parent.appendChild(option);
      options.push(option);
    }

    function show(answer, text) {
      listbox.textContent = "";
      options = [];
      active = -1;
      answer.groups.forEach(function (group) {
        var headingId = listboxId + "-" + group.kind;
        var element = make("div", { role: "group", "aria-labelledby": headingId });
        element.appendChild(
          make("div", { role: "presentation", id: headingId, class: "site-search-heading" },
            group.heading + " (" + group.total + ")")
        );
        group.results.forEach(function (result) {
          addOption(element, result.url, result.label, result.description);
        });
        if (group.more_url) {
          addOption(element, group.more_url, fill(form.dataset.showAll, { count: group.total, heading: group.heading }));
        }
        listbox.appendChild(element);
      });
      addOption(listbox, answer.all_url, fill(form.dataset.allResults, { text: text }), "", "site-search-all");
      status.textContent = answer.message;
      open();
    }

    function ask() {
      var text = input.value.trim();
      asked += 1;
      var mine = asked;
      if (!text) {
        close();
        options = [];
        listbox.textContent = "";
        status.textContent = "";
        return;
      }
      var url = form.dataset.siteSearch + "?" + new URLSearchParams({ q: text }).toString();
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          return response.json().then(function (answer) {
            return { ok: response.ok, answer: answer };
          });
        })
        .then(function (result) {
          if (mine !== asked) {
            return; // a later keystroke asked again
          }
          if (!result.ok) {
            close();
            var errors = (result.answer.errors && result.answer.errors.q) || [];
            status.textContent = errors.join(" ");
            return;
          }
          show(result.answer, text);
        })
        .catch(function () {
          // Offline or signed out: the form still leads to the results page.
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (listbox.hidden) {
          open();
          if (!listbox.hidden) {
            setActive(0);
          }
        } else if (options.length) {
          setActive(active + 1 < options.length ? active + 1 : 0);
        }
      } else if (event.key === "ArrowUp") {
        if (!listbox.hidden && options.length) {
          event.preventDefault();
          setActive(active > 0 ? active - 1 : options.length - 1);
        }
      } else if (event.key === "Enter") {
        if (!listbox.hidden && active >= 0) {
          event.preventDefault();
          window.location.assign(options[active].dataset.url);
        }
      } else if (event.key === "Escape") {
        if (!listbox.hidden) {
          event.preventDefault();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
        }
      }
    });

    // A click on an option opens it; pressing the mouse must not blur the field first.
    listbox.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    listbox.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) {
        window.location.assign(option.dataset.url);
      }
    });
    input.addEventListener("blur", close);
    input.addEventListener("focus", function () {
      if (input.value.trim() && options.length) {
        open();
      }
    });
  }

  function start() {
    document.querySelectorAll("form[data-site-search]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
