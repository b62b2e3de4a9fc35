/* Search results: what kind of page each result is, and accessible names for Material's tag lists.
 *
 * Material renders search results itself; this observer adds a text label to each page result
 * ("Metode", "Case" or "Side", from the URL) and gives each result's <nav class="md-tags"> a name
 * of its own, since many unnamed navigation landmarks fail axe's landmark-unique rule. It writes
 * text and attributes only. The search dialog persists across instant navigation, so one observer
 * is enough.
 */
(function () {
  "use strict";

  function kindOf(href) {
    var path = new URL(href, location.href).pathname;
    if (/\/metoder\/[^/]+\/$/.test(path)) return "Metode";
    if (/\/cases\/[^/]+\/$/.test(path)) return "Case";
    return "Side";
  }

  function fix(root) {
    var used = {};
    Array.prototype.forEach.call(root.querySelectorAll(".md-search-result__link"), function (link) {
      var heading = link.querySelector(".md-search-result__article > h1");
      if (!heading || heading.querySelector(".vk-kind")) return;
      var badge = document.createElement("span");
      badge.className = "vk-kind";
      badge.textContent = kindOf(link.getAttribute("href"));
      heading.insertBefore(document.createTextNode(" "), heading.firstChild);
      heading.insertBefore(badge, heading.firstChild);
    });
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
  var observer = new MutationObserver(function () {
    observer.disconnect();
    fix(list.parentNode);
    observer.observe(list, { childList: true, subtree: true });
  });
  observer.observe(list, { childList: true, subtree: true });
})();
