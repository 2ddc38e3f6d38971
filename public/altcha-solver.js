// Solves the ALTCHA proof of work on the sign form while a petition is under attack.
// Same-origin, no dependencies: SHA-256 through the browser's Web Crypto. Without this script
// (or without Web Crypto) the form still posts; the signature is then held for a moderator.
(function () {
  'use strict';
  var box = document.querySelector('[data-altcha-challenge]');
  if (!box) return;
  var form = box.closest('form');
  var field = box.querySelector('[data-altcha-field]');
  var status = box.querySelector('[data-altcha-status]');
  var subtle = window.crypto && window.crypto.subtle;
  if (!form || !field || !subtle || !window.fetch) return;

  function say(text) {
    if (status) status.textContent = text;
  }
  function hexToBytes(hex) {
    var out = new Uint8Array(hex.length / 2);
    for (var i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
    return out;
  }
  function bytesToHex(bytes) {
    var s = '';
    for (var i = 0; i < bytes.length; i++) s += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
    return s;
  }
  function startsWith(bytes, prefix) {
    for (var i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
    return true;
  }

  // Key derivation as altcha-lib's SHA algorithm: hash(salt + nonce + counter as 4 bytes,
  // big-endian), then hash the result again (cost - 1) more times; keyLength bytes are kept.
  function derive(params, salt, password) {
    var input = new Uint8Array(salt.length + password.length);
    input.set(salt, 0);
    input.set(password, salt.length);
    var rounds = Math.max(1, params.cost || 1);
    var step = function (data, left) {
      return subtle.digest(params.algorithm, data).then(function (digest) {
        var bytes = new Uint8Array(digest);
        return left > 1 ? step(bytes, left - 1) : bytes.slice(0, params.keyLength || 32);
      });
    };
    return step(input, rounds);
  }

  function solve(challenge) {
    var p = challenge.parameters;
    var salt = hexToBytes(p.salt);
    var nonce = hexToBytes(p.nonce);
    var prefix = hexToBytes(p.keyPrefix);
    var password = new Uint8Array(nonce.length + 4);
    password.set(nonce, 0);
    var view = new DataView(password.buffer);
    var counter = 0;
    var started = Date.now();
    return new Promise(function (resolve, reject) {
      var next = function () {
        if (Date.now() - started > 60000) return reject(new Error('timeout'));
        view.setUint32(nonce.length, counter, false);
        derive(p, salt, password).then(function (key) {
          if (startsWith(key, prefix)) return resolve({ counter: counter, derivedKey: bytesToHex(key) });
          counter++;
          next();
        }, reject);
      };
      next();
    });
  }

  var solved = null;
  var solving = fetch(box.getAttribute('data-altcha-challenge'), { headers: { accept: 'application/json' }, credentials: 'same-origin' })
    .then(function (r) {
      if (!r.ok) throw new Error('challenge');
      return r.json();
    })
    .then(function (challenge) {
      say('Checking your browser…');
      return solve(challenge).then(function (solution) {
        var payload = JSON.stringify({ challenge: { parameters: challenge.parameters, signature: challenge.signature }, solution: solution });
        field.value = btoa(payload);
        solved = true;
        say('Check complete: you can sign.');
      });
    })
    .catch(function () {
      solved = false;
      say('The check could not run. You can still sign: a moderator will check your signature before it counts.');
    });

  form.addEventListener('submit', function (event) {
    if (solved !== null) return;
    event.preventDefault();
    say('Finishing the check…');
    solving.then(function () {
      form.submit();
    });
  });
})();
