/*
 * Searchable pickers (oia/widgets.py SearchSelect): turns each
 * <select data-search="/search/<kind>/"> into a WAI-ARIA 1.2 combobox with a
 * listbox popup. The select stays in the form, hidden, and holds the chosen
 * value(s), so the form submits exactly what it did before.
 *
 * Keys: Down/Up move through the matches (Down opens the list), Enter chooses,
 * Escape closes the list (a second Escape clears the text). A live region says
 * how many matches were found. No inline script or style (strict CSP).
 *
 * Offering a new record (data-search-create-field, data-search-create-label
 * with %(name)s): the matches end with "New person: <typed name>"; choosing it
 * clears the choice, puts the typed name into the form's field of that name and
 * shows the element [data-create-for="<select id>"] holding the new record's
 * fields (hidden until then, unless it holds a name or errors already).
 * The event "search-select:refresh" on the select shows its chosen option again
 * (after a script chose one).
 */
(function () {
  "use strict";

  var DELAY_MS = 200;
  var counter = 0;

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

  function enhance(select) {
    if (select.dataset.searchReady) {
      return;
    }
    select.dataset.searchReady = "1";
    counter += 1;
    var multiple = select.multiple;
    var base = select.id || "search-select-" + counter;
    var createField = select.dataset.searchCreateField && select.form
      ? select.form.elements.namedItem(select.dataset.searchCreateField)
      : null;
    var createDetails = createField && select.id
      ? document.querySelector('[data-create-for="' + select.id + '"]')
      : null;
    var creating = createField && createField.value ? createField.value : null;
    var listboxId = base + "-listbox";
    var wrapper = make("div", { class: "search-select" });
    var input = make("input", {
      type: "text",
      role: "combobox",
      "aria-autocomplete": "list",
      "aria-expanded": "false",
      "aria-controls": listboxId,
      autocomplete: "off",
      spellcheck: "false",
    });
    var hintId = base + "-hint";
    var hint = make("small", { id: hintId, class: "search-select-hint" }, select.dataset.searchHint);
    var listbox = make("ul", { id: listboxId, role: "listbox", class: "search-select-listbox" });
    var status = make("div", { role: "status", "aria-live": "polite", class: "visually-hidden" });
    var chosenList = multiple ? make("ul", { class: "search-select-chosen" }) : null;
    listbox.hidden = true;

    // The label points at the select's id: the text field takes it over.
    if (select.id) {
      input.id = select.id;
      select.id = select.id + "-value";
    }
    var describedBy = [select.getAttribute("aria-describedby"), hintId].filter(Boolean).join(" ");
    input.setAttribute("aria-describedby", describedBy);
    if (select.getAttribute("aria-invalid")) {
      input.setAttribute("aria-invalid", select.getAttribute("aria-invalid"));
    }
    if (select.required) {
      input.required = true;
      select.required = false;
    }
    select.hidden = true;
    select.tabIndex = -1;
    select.parentNode.insertBefore(wrapper, select);
    if (chosenList) {
      wrapper.appendChild(chosenList);
    }
    wrapper.appendChild(input);
    wrapper.appendChild(listbox);
    wrapper.appendChild(hint);
    wrapper.appendChild(status);
    wrapper.appendChild(select);

    var matches = [];
    var active = -1;
    var timer = null;
    var asked = 0;

    function chosenOption() {
      return Array.prototype.find.call(select.options, function (option) {
        return option.selected && option.value !== "";
      });
    }

    function showCreating(show) {
      if (createDetails) {
        createDetails.hidden = !show && !createDetails.querySelector(".field-error, [aria-invalid=true]");
      }
    }

    function showChosen() {
      if (!multiple && creating) {
        input.value = creating;
        return;
      }
      if (!multiple) {
        var option = chosenOption();
        input.value = option ? option.textContent : "";
        return;
      }
      chosenList.textContent = "";
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.selected || option.value === "") {
          return;
        }
        var item = make("li", {}, option.textContent + " ");
        var remove = make("button", {
          type: "button",
          class: "secondary outline",
          "aria-label": select.dataset.searchRemove + ": " + option.textContent,
        }, "×");
        remove.addEventListener("click", function () {
          option.remove();
          showChosen();
          input.focus();
        });
        item.appendChild(remove);
        chosenList.appendChild(item);
      });
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function setActive(index) {
      var items = listbox.children;
      if (active >= 0 && items[active]) {
        items[active].setAttribute("aria-selected", "false");
      }
      active = index;
      if (index < 0 || !items[index]) {
        input.removeAttribute("aria-activedescendant");
        return;
      }
      items[index].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", items[index].id);
      items[index].scrollIntoView({ block: "nearest" });
    }

    function choose(index) {
      var match = matches[index];
      if (!match) {
        return;
      }
      if (match.create) {
        select.value = "";
        creating = match.name;
        createField.value = match.name;
        close();
        showChosen();
        showCreating(true);
        select.dispatchEvent(new Event("change", { bubbles: true }));
        return;
      }
      if (creating) {
        creating = null;
        createField.value = "";
        showCreating(false);
      }
      var option = Array.prototype.find.call(select.options, function (existing) {
        return existing.value === match.id;
      });
      if (!option) {
        option = make("option", { value: match.id }, match.label);
        select.appendChild(option);
      }
      if (!multiple) {
        select.value = match.id;
      }
      option.selected = true;
      close();
      showChosen();
      if (multiple) {
        input.value = "";
      }
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function show(answer) {
      matches = answer.results.slice();
      var typed = input.value.trim();
      if (createField && typed) {
        matches.push({
          create: true,
          name: typed,
          label: (select.dataset.searchCreateLabel || "+ %(name)s").replace("%(name)s", typed),
        });
      }
      listbox.textContent = "";
      matches.forEach(function (match, index) {
        var item = make("li", { id: base + "-option-" + index, role: "option", "aria-selected": "false" }, match.label);
        item.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the text field
        });
        item.addEventListener("click", function () {
          choose(index);
        });
        listbox.appendChild(item);
      });
      status.textContent = answer.message;
      active = -1;
      input.removeAttribute("aria-activedescendant");
      listbox.hidden = matches.length === 0;
      input.setAttribute("aria-expanded", matches.length ? "true" : "false");
    }

    function search() {
      asked += 1;
      var question = asked;
      var separator = select.dataset.search.indexOf("?") < 0 ? "?" : "&";
      var url = select.dataset.search + separator + "q=" + encodeURIComponent(input.value.slice(0, 100));
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (answer) {
          if (answer && question === asked && document.activeElement === input) {
            show(answer);
          }
        })
        .catch(function () {
          close();
        });
    }

    function searchSoon() {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, DELAY_MS);
    }

    input.addEventListener("input", function () {
      if (creating) {
        creating = null; // the name typed since is not yet chosen
        createField.value = "";
      }
      if (!multiple && input.value.trim() === "") {
        select.value = "";
      }
      searchSoon();
    });

    input.addEventListener("keydown", function (event) {
      var open = !listbox.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) {
          search();
        } else {
          setActive((active + 1) % matches.length);
        }
      } else if (event.key === "ArrowUp") {
        if (open) {
          event.preventDefault();
          setActive(active <= 0 ? matches.length - 1 : active - 1);
        }
      } else if (event.key === "Enter") {
        if (open) {
          event.preventDefault();
          choose(active >= 0 ? active : 0);
        }
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
          if (creating) {
            creating = null;
            createField.value = "";
          }
          if (!multiple) {
            select.value = "";
          }
        }
      }
    });

    input.addEventListener("blur", function () {
      window.clearTimeout(timer);
      asked += 1; // an answer arriving now is no longer wanted
      close();
      // Typed text that was not chosen is not a choice: show what is chosen.
      if (multiple) {
        input.value = "";
      } else if (input.value.trim() !== "") {
        showChosen();
      }
    });

    select.addEventListener("search-select:refresh", showChosen);
    showChosen();
    showCreating(Boolean(creating));
  }

  function enhanceAll(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("select[data-search]"), enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      enhanceAll(document);
    });
  } else {
    enhanceAll(document);
  }
  document.addEventListener("htmx:load", function (event) {
    enhanceAll(event.target);
  });
})();
