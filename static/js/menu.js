/* The header's menu button on narrow screens (templates/base.html).
   Without this script the button stays hidden and the menu is always open;
   with it, the menu folds behind the button below 60rem (static/css/oia.css)
   and aria-expanded tells screen readers whether it is open. Escape closes it. */
(function () {
  "use strict";

  function setUp() {
    const button = document.querySelector(".site-header .menu-button");
    const header = document.querySelector(".site-header");
    if (!button || !header) {
      return;
    }
    function setOpen(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      header.classList.toggle("menu-open", open);
    }
    button.hidden = false;
    header.classList.add("menu-ready");
    setOpen(false);
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    header.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        button.focus();
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
