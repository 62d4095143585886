/*
 * Lesson reader: reports how far the student has read and for how long, through htmx, to
 * the URL in the article's data-lesson-progress, swapping the answer into its
 * data-progress-target. Without JavaScript the "Mark as done" button still works.
 *
 * Reading to the end is reported as 99%: finishing a lesson is the student's own act.
 */
(function () {
  "use strict";

  var REPORT_EVERY_MS = 15000;
  var MAX_REPORTED = 99;

  function setup(article) {
    var url = article.dataset.lessonProgress;
    var target = article.dataset.progressTarget;
    var best = parseInt(article.dataset.startPercent || "0", 10) || 0;
    var reported = best;
    var lastReportAt = Date.now();

    function percentRead() {
      var rect = article.getBoundingClientRect();
      var seen = window.innerHeight - rect.top;
      if (rect.height <= 0) return 0;
      return Math.max(0, Math.min(100, Math.round((seen / rect.height) * 100)));
    }

    function report() {
      var seconds = Math.round((Date.now() - lastReportAt) / 1000);
      if (best <= reported && seconds < 5) return;
      lastReportAt = Date.now();
      reported = best;
      if (!window.htmx) return;
      window.htmx.ajax("POST", url, {
        source: article,
        target: target,
        swap: "outerHTML",
        values: { percent: Math.min(best, MAX_REPORTED), seconds: Math.min(seconds, 14400) }
      });
    }

    function onScroll() {
      var now = percentRead();
      if (now > best) best = now;
      if (best - reported >= 10) report();
    }

    window.addEventListener("scroll", onScroll, { passive: true });
    window.setInterval(function () { if (!document.hidden) report(); }, REPORT_EVERY_MS);
    document.addEventListener("visibilitychange", function () { if (document.hidden) report(); });
    onScroll();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-lesson-progress]").forEach(setup);
  });
})();
