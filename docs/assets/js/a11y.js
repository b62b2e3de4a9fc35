/* Accessibility fixes for Material's dynamic parts.
 *
 * Search results show each page's tags in a <nav class="md-tags">; many unnamed navigation
 * landmarks in one list fail axe's landmark-unique rule, so each gets a name of its own ("Emneord
 * for <result>"). The search dialog persists across instant navigation, so one observer is enough.
 */
(function () {
  "use strict";
  function fix(root) {
    var used = {};
    Array.prototype.forEach.call(root.querySelectorAll(".md-search-result nav.md-tags"), function (nav, i) {
      var heading = nav.parentNode.querySelector("h1, h2");
      var name = "Emneord for " + (heading ? heading.textContent.trim() : "resultat " + (i + 1));
      if (used[name]) name += " (" + (i + 1) + ")";
      used[name] = true;
      if (nav.getAttribute("aria-label") !== name) nav.setAttribute("aria-label", name);
    });
  }
  var list = document.querySelector(".md-search-result");
  if (!list || !window.MutationObserver) return;
  new MutationObserver(function () { fix(list.parentNode); }).observe(list, { childList: true, subtree: true });
})();
