// Petition pages: progressive enhancement only. Everything works without this file.
(function () {
  'use strict';

  // Move focus to the error summary so screen reader users hear what went wrong.
  var summary = document.querySelector('[data-module="error-summary"]');
  if (summary) summary.focus();

  // "Copy" buttons beside read-only fields (the share link, the embed code).
  document.querySelectorAll('[data-copy-target]').forEach(function (button) {
    var id = button.getAttribute('data-copy-target');
    var field = document.getElementById(id);
    var status = document.querySelector('[data-copy-status="' + id + '"]');
    if (!field) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      var done = function () {
        if (status) status.textContent = 'Copied';
      };
      field.select();
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(field.value).then(done, function () {
          if (status) status.textContent = 'Press Ctrl+C (or Cmd+C) to copy';
        });
      } else {
        if (status) status.textContent = 'Press Ctrl+C (or Cmd+C) to copy';
      }
    });
  });

  // Keep the count fresh while the page is open (a small cached JSON request every 15 seconds).
  var counter = document.querySelector('[data-petition-count]');
  var figure = counter && counter.querySelector('[data-count-figure]');
  if (counter && figure && window.fetch) {
    var url = '/petitions/' + counter.getAttribute('data-petition-count') + '/count.json';
    setInterval(function () {
      if (document.hidden) return;
      fetch(url, { headers: { accept: 'application/json' } })
        .then(function (r) {
          return r.ok ? r.json() : null;
        })
        .then(function (data) {
          if (data && typeof data.signature_count === 'number') {
            figure.textContent = data.signature_count.toLocaleString('en-GB');
          }
        })
        .catch(function () {});
    }, 15000);
  }
})();
