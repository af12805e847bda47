// Act page: copy and print buttons for the letter. Loaded from /static (the CSP allows no inline script).
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var copy = document.querySelector("button.copy-letter");
  var print = document.querySelector("button.print-letter");
  var status = document.querySelector(".copy-status");
  var text = document.getElementById("letter-text");
  if (copy && text && navigator.clipboard) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(text.value).then(function () {
        if (status) { status.textContent = copy.getAttribute("data-done"); }
      }, function () {
        text.closest("details").open = true;
        text.select();
      });
    });
  }
  if (print) {
    print.hidden = false;
    print.addEventListener("click", function () { window.print(); });
  }
});
