/*
 * ToolBox page behaviour: small, generic, driven by data attributes, loaded with `defer`.
 * Every page works without it; this only makes pages nicer. No inline handlers anywhere
 * (the Content-Security-Policy forbids them). Behaviours are (re)attached to the page on
 * load and to every fragment htmx swaps in (htmx:load).
 *
 *   data-copy-target="#id"   button: copies the text (or value) of #id to the clipboard
 *   data-confirm="Question?" form: asks before submitting (also on a submit button)
 *   data-deadline="ISO 8601" element: counts down every second; its [data-countdown-text]
 *                            child shows "12:34 left"; gains .is-warning (< 1 min) and
 *                            .is-expired, and fires a "toolbox:deadline" event at zero
 *   data-autodismiss         flash message: fades out after 6 seconds
 *   data-dismiss             button inside a .message: removes the message
 *   data-autosubmit          select/input: submits its form on change (filters)
 *   data-print               button: opens the print dialog
 */
(function () {
  "use strict";

  function each(root, selector, callback) {
    if (root.matches && root.matches(selector)) callback(root);
    root.querySelectorAll(selector).forEach(callback);
  }

  function once(element, name) {
    var key = "toolbox" + name;
    if (element.dataset[key]) return false;
    element.dataset[key] = "1";
    return true;
  }

  /* ---- copy to clipboard ---- */
  function setupCopy(button) {
    if (!once(button, "Copy")) return;
    if (!navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var target = document.querySelector(button.dataset.copyTarget);
      if (!target) return;
      var text = "value" in target && target.value !== undefined ? target.value : target.textContent;
      var feedback = button.parentElement && button.parentElement.querySelector("[data-copy-feedback]");
      navigator.clipboard.writeText(text.trim()).then(
        function () { if (feedback) feedback.textContent = "Copied"; },
        function () { if (feedback) feedback.textContent = "Select the text and copy it"; }
      );
      if (feedback) {
        window.setTimeout(function () { feedback.textContent = ""; }, 3000);
      }
    });
  }

  /* ---- confirm before submit ---- */
  function setupConfirm(form) {
    if (!once(form, "Confirm")) return;
    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      var question = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
      if (question && !window.confirm(question)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    });
  }

  /* ---- countdown to a server deadline ---- */
  var countdowns = [];

  function formatRemaining(seconds) {
    var hours = Math.floor(seconds / 3600);
    var minutes = Math.floor((seconds % 3600) / 60);
    var secs = seconds % 60;
    var two = function (n) { return (n < 10 ? "0" : "") + n; };
    return (hours > 0 ? hours + ":" + two(minutes) : minutes) + ":" + two(secs);
  }

  function tickCountdown(element) {
    var deadline = Date.parse(element.dataset.deadline);
    if (isNaN(deadline)) return;
    var remaining = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    var text = element.querySelector("[data-countdown-text]") || element;
    text.textContent = remaining > 0 ? formatRemaining(remaining) + " left" : "Time is up";
    element.classList.toggle("is-warning", remaining > 0 && remaining < 60);
    element.classList.toggle("is-expired", remaining === 0);
    if (remaining === 0 && !element.dataset.toolboxExpired) {
      element.dataset.toolboxExpired = "1";
      element.dispatchEvent(new CustomEvent("toolbox:deadline", { bubbles: true }));
    }
  }

  function setupCountdown(element) {
    if (!once(element, "Countdown")) return;
    countdowns.push(element);
    tickCountdown(element);
  }

  window.setInterval(function () {
    countdowns = countdowns.filter(function (element) { return element.isConnected; });
    countdowns.forEach(tickCountdown);
  }, 1000);

  /* ---- flash messages ---- */
  function dismiss(message) {
    message.classList.add("is-leaving");
    window.setTimeout(function () { message.remove(); }, 300);
  }

  function setupDismiss(button) {
    if (!once(button, "Dismiss")) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var message = button.closest(".message");
      if (message) dismiss(message);
    });
  }

  function setupAutodismiss(message) {
    if (!once(message, "Autodismiss")) return;
    window.setTimeout(function () {
      if (!message.matches(":hover") && !message.contains(document.activeElement)) dismiss(message);
    }, 6000);
  }

  /* ---- submit on change (filters) ---- */
  function setupAutosubmit(control) {
    if (!once(control, "Autosubmit")) return;
    control.addEventListener("change", function () {
      if (control.form) control.form.requestSubmit();
    });
  }

  /* ---- print ---- */
  function setupPrint(button) {
    if (!once(button, "Print")) return;
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  }

  function enhance(root) {
    each(root, "[data-copy-target]", setupCopy);
    each(root, "form[data-confirm], form:has([data-confirm])", setupConfirm);
    each(root, "[data-deadline]", setupCountdown);
    each(root, "[data-dismiss]", setupDismiss);
    each(root, "[data-autodismiss]", setupAutodismiss);
    each(root, "[data-autosubmit]", setupAutosubmit);
    each(root, "[data-print]", setupPrint);
  }

  window.ToolBox = { enhance: enhance };

  document.addEventListener("DOMContentLoaded", function () { enhance(document.body); });
  // htmx fires htmx:load for the body on start and for every swapped-in fragment.
  document.addEventListener("htmx:load", function (event) { enhance(event.target); });
})();
