// Progressive enhancement only: every page works without this file.
(function () {
  'use strict';
  // Move focus to the error summary so screen reader users hear what went wrong.
  var summary = document.querySelector('[data-module="error-summary"]');
  if (summary) summary.focus();
  // Copy-link buttons.
  document.querySelectorAll('[data-copy]').forEach(function (button) {
    button.hidden = false;
    button.addEventListener('click', function () {
      var text = button.getAttribute('data-copy');
      if (navigator.clipboard && text) {
        navigator.clipboard.writeText(text).then(function () {
          var status = document.getElementById(button.getAttribute('aria-controls') || '');
          if (status) status.textContent = 'Link copied';
        });
      }
    });
  });
})();
