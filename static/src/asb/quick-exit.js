// Quick exit for the pages of the anti-social behaviour, hate crime and domestic abuse journey.
// Without JavaScript the "Leave this site" link simply goes to a neutral site. With it, the
// page is replaced (location.replace) so Back does not return here, and pressing Escape three
// times within a few seconds does the same from anywhere on the page.
(function () {
  "use strict";
  var link = document.querySelector("[data-quick-exit]");
  if (!link) {
    return;
  }
  var target = link.getAttribute("href");
  function leave(event) {
    if (event) {
      event.preventDefault();
    }
    document.body.style.display = "none";
    window.location.replace(target);
  }
  link.addEventListener("click", leave);
  var presses = 0;
  var timer = null;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" && event.key !== "Esc") {
      return;
    }
    presses += 1;
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      presses = 0;
    }, 5000);
    if (presses >= 3) {
      leave(event);
    }
  });
})();
