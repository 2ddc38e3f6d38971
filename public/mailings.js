// Mailing progress: refreshes the counts in place while a mailing is being sent. Without this
// file the page refreshes itself every 10 seconds (a <noscript> meta refresh).
(function () {
  'use strict';
  var section = document.querySelector('[data-mailing-progress]');
  if (!section || !window.fetch) return;
  var url = section.getAttribute('data-mailing-progress');
  var format = function (n) { return Number(n).toLocaleString('en-GB'); };
  function update(data) {
    var counts = data.counts || {};
    counts.done = (counts.sent || 0) + (counts.failed || 0) + (counts.skipped || 0) + (counts.unknown || 0);
    document.querySelectorAll('[data-count]').forEach(function (cell) {
      var key = cell.getAttribute('data-count');
      if (key in counts) cell.textContent = format(counts[key]);
    });
    var bar = document.getElementById('mailing-progress');
    if (bar) {
      bar.max = Math.max(1, counts.recipients || 0);
      bar.value = counts.done;
    }
    if (data.status !== 'preparing' && data.status !== 'sending') window.location.reload();
  }
  function poll() {
    fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) update(data); })
      .catch(function () { /* try again next time */ })
      .then(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 3000);
})();
