// Small enhancements; every page works without them.
//
// After a refused form, focus moves to the error summary; after a done action, to its
// confirmation: keyboard and screen-reader users land on what happened (as GOV.UK Frontend
// does). Without JavaScript both are the first thing in the page's main content.
(function () {
  var target = document.querySelector('.error-summary') || document.querySelector('.notice[data-focus]');
  if (target) {
    target.focus();
  }
})();

// A print button only where the browser can print from a script; without JavaScript the
// page says how to print with the browser's own menu.
(function () {
  var buttons = document.querySelectorAll('button[data-print]');
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener('click', function () { window.print(); });
  }
})();
