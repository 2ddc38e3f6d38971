// Segments: the live count while building a segment, and import progress. Progressive
// enhancement only: without this file the builder's "Update count" button and the import page's
// refresh link do the same.
(function () {
  'use strict';

  var form = document.getElementById('segment-builder');
  if (form && window.fetch && window.URLSearchParams && window.FormData) {
    var output = document.getElementById('segment-count');
    var holder = form.querySelector('[data-count-url]');
    var saveQuery = document.querySelector('#segment-save input[name="query"]');
    var url = holder ? holder.getAttribute('data-count-url') : null;
    var timer = null;
    var latest = 0;

    var builderQuery = function () {
      var params = new URLSearchParams();
      new FormData(form).forEach(function (value, key) {
        if (typeof value === 'string') params.append(key, value);
      });
      return params.toString();
    };

    var update = function () {
      var query = builderQuery();
      var mine = ++latest;
      // Save what is on screen, whether or not it can be counted yet (saving shows any problem).
      if (saveQuery) saveQuery.value = query;
      output.textContent = 'Counting…';
      fetch(url + '?' + query, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (response) {
          return response.json().then(function (body) {
            return { ok: response.ok, body: body };
          });
        })
        .then(function (result) {
          if (mine !== latest) return;
          if (result.ok) output.textContent = result.body.text;
          else {
            var first = result.body.errors && result.body.errors[0];
            output.textContent = 'Not counted: ' + (first ? first.message : result.body.message);
          }
        })
        .catch(function () {
          if (mine === latest) output.textContent = 'Could not count just now. Use “Update count”.';
        });
    };

    // A constituency picked from the names' list is ticked at once, without a search round trip.
    var pickSeat = function (input) {
      var box = input.closest('[data-seat-find]');
      var list = input.list;
      if (!box || !list) return false;
      var option = Array.prototype.find.call(list.options, function (o) {
        return o.value.toLowerCase() === input.value.trim().toLowerCase();
      });
      var hint = document.getElementById(box.getAttribute('data-seat-choices'));
      var choices = hint && hint.parentNode.querySelector('.choices');
      if (!option || !choices) return false;
      var name = box.getAttribute('data-seat-find');
      var code = option.getAttribute('data-code');
      var existing = Array.prototype.find.call(form.elements, function (el) {
        return el.name === name && el.value === code;
      });
      if (existing) existing.checked = true;
      else {
        var id = hint.id.replace(/-hint$/, '') + '-' + code;
        var choice = document.createElement('div');
        choice.className = 'choice';
        var box2 = document.createElement('input');
        box2.className = 'choice__input';
        box2.type = 'checkbox';
        box2.name = name;
        box2.value = code;
        box2.id = id;
        box2.checked = true;
        var label = document.createElement('label');
        label.className = 'choice__label';
        label.htmlFor = id;
        label.textContent = option.value;
        choice.appendChild(box2);
        choice.appendChild(label);
        choices.appendChild(choice);
      }
      input.value = '';
      return true;
    };

    var schedule = function () {
      clearTimeout(timer);
      timer = setTimeout(update, 350);
    };
    if (output && url) {
      form.addEventListener('change', schedule);
      form.addEventListener('input', function (event) {
        if (event.target.matches && event.target.matches('[data-seat-find] input[list]')) pickSeat(event.target);
        schedule();
      });
    }
  }

  var progress = document.querySelector('[data-import-status]');
  if (progress && window.fetch) {
    var statusUrl = progress.getAttribute('data-import-status');
    var bar = progress.querySelector('progress');
    var text = progress.querySelector('p');
    var poll = function () {
      fetch(statusUrl, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (response) {
          return response.json();
        })
        .then(function (status) {
          if (status.state !== 'queued' && status.state !== 'running') {
            window.location.reload();
            return;
          }
          if (bar) bar.value = status.percent;
          if (text) text.textContent = status.percent + '% done (' + status.linesDone + ' lines).';
          setTimeout(poll, 3000);
        })
        .catch(function () {
          setTimeout(poll, 10000);
        });
    };
    setTimeout(poll, 3000);
  }
})();
