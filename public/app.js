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
      var status = document.getElementById(button.getAttribute('aria-controls') || '');
      var failed = function () {
        if (status) status.textContent = 'Could not copy: select it and press Ctrl+C (or Cmd+C)';
      };
      if (navigator.clipboard && text) {
        navigator.clipboard.writeText(text).then(function () {
          if (status) status.textContent = button.getAttribute('data-copied') || 'Link copied';
        }, failed);
      } else failed();
    });
  });
  // Wide tables: show the "scroll sideways" hint while a table is wider than its region.
  var scrollers = document.querySelectorAll('[data-table-scroll]');
  var measure = function () {
    scrollers.forEach(function (wrap) {
      var region = wrap.querySelector('.table-scroll');
      if (region) wrap.classList.toggle('table-scroll-wrap--overflows', region.scrollWidth > region.clientWidth + 1);
    });
  };
  if (scrollers.length) {
    measure();
    window.addEventListener('resize', measure);
  }
})();
