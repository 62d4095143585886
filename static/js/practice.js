/*
 * Practice sets: when htmx swaps a checked question's result in, move keyboard focus to it
 * (the form and its button are gone), so that a screen reader announces the verdict and Tab
 * goes on to the next question. A full page load leaves focus where the browser puts it.
 */
(function () {
  "use strict";
  document.addEventListener("htmx:load", function (event) {
    var root = event.target;
    if (!(root instanceof Element) || root === document.body) return;
    var target = root.matches("[data-focus-after-swap]") ? root : root.querySelector("[data-focus-after-swap]");
    if (target) target.focus();
  });
})();
