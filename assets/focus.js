// After a refused form, focus moves to the error summary; after a done action, to its
// confirmation: keyboard and screen-reader users land on what happened (as GOV.UK Frontend
// does). Without JavaScript both are the first thing in the page's main content.
(function () {
  var target = document.querySelector('.error-summary') || document.querySelector('.notice[data-focus]');
  if (target) {
    target.focus();
  }
})();
