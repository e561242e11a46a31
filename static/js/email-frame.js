// A sent email's formatted version, shown whole: the frame is made as tall as the email
// once it has loaded. The email itself runs no script (its policy and the frame's
// sandbox forbid it); this page only measures it. Without JavaScript the frame keeps
// its tall, resizable default.
(function () {
  "use strict";

  function fit(frame) {
    var doc = frame.contentDocument;
    if (!doc || !doc.documentElement) {
      return;
    }
    frame.style.height = doc.documentElement.scrollHeight + 2 + "px";
  }

  var frames = document.querySelectorAll("iframe[data-fit-content]");
  Array.prototype.forEach.call(frames, function (frame) {
    frame.addEventListener("load", function () {
      fit(frame);
    });
    if (frame.contentDocument && frame.contentDocument.readyState === "complete") {
      fit(frame);
    }
  });
})();
