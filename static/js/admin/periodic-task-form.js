/* The admin's periodic task form: below the crontab choice, say in words when it runs.
   Replaces django-celery-beat's inline script (blocked by the content security policy). */
(function ($) {
  "use strict";
  var readable = JSON.parse(document.getElementById("readable-crontabs").textContent);
  var helpText = JSON.parse(document.getElementById("crontab-help").textContent);

  function showTranslation() {
    var help = document.querySelector(".field-crontab .help");
    if (!help) {
      return;
    }
    var translation = readable[$("#id_crontab").val()];
    help.textContent = helpText;
    if (translation) {
      help.appendChild(document.createElement("br"));
      help.appendChild(document.createTextNode("Translation: " + translation));
    }
  }

  $(function () {
    $(".field-crontab_translation").hide();
    $(".field-crontab").on("change", showTranslation);
  });
})(django.jQuery);
