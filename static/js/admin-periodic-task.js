/* django-celery-beat's periodic task form: show the crontab's plain-English reading under the
   crontab field (its template did this inline; the CSP forbids inline scripts). */
(function () {
  "use strict";
  var script = document.getElementById("periodic-task-overrides");
  var data = document.getElementById("readable-crontabs");
  if (!script || !data || !window.django || !window.django.jQuery) return;
  var $ = window.django.jQuery;
  var readableCrontabs = JSON.parse(data.textContent);
  var originalHelp = script.dataset.crontabHelp || "";
  $(".field-crontab_translation").hide();
  $(".field-crontab").on("change", function () {
    var help = $(".field-crontab .help");
    help.text(originalHelp);
    help.append(document.createElement("br"));
    help.append(document.createTextNode("Translation: " + (readableCrontabs[$("#id_crontab").val()] || "")));
  });
})();
