/* Faceted filtering on /metoder/ and /cases/, and card selection on /udskriv/.
 *
 * The page already holds the complete list (it works without JavaScript); this script reveals the
 * facet form and hides the items that do not match. AND between facets, OR within a facet; the
 * state lives in the URL query. It writes text and attributes only, never HTML. Material's
 * instant navigation swaps pages without reloading, so it attaches through `document$`.
 */
(function () {
  "use strict";

  /** The selection in a query string: { facetId: [optionIds] }, plus the free text as "q". */
  function readSelection(search, facetIds) {
    var params = new URLSearchParams(search);
    var selection = {};
    facetIds.forEach(function (id) {
      var values = [];
      params.getAll(id).forEach(function (v) {
        v.split(",").forEach(function (part) { if (part) values.push(part); });
      });
      if (values.length) selection[id] = values;
    });
    var q = (params.get("q") || "").trim();
    if (q) selection.q = q;
    return selection;
  }

  /** The query string for a selection (facets in page order, values in option order). */
  function writeSelection(selection, facetIds) {
    var params = new URLSearchParams();
    facetIds.forEach(function (id) {
      if (selection[id] && selection[id].length) params.set(id, selection[id].join(","));
    });
    if (selection.q) params.set("q", selection.q);
    var s = params.toString();
    return s ? "?" + s : "";
  }

  /** Items of a list with their facet values parsed once. */
  function indexItems(elements, facetIds) {
    return elements.map(function (el) {
      var values = {};
      facetIds.forEach(function (id) {
        var raw = el.getAttribute("data-" + id) || "";
        values[id] = raw ? raw.split(" ") : [];
      });
      return { el: el, values: values, text: el.getAttribute("data-q") || "", shown: !el.hidden };
    });
  }

  function words(q) {
    return q.toLocaleLowerCase("da").split(/\s+/).filter(Boolean);
  }

  /** For each item, whether it passes each facet (and the free text): the shared matching rule. */
  function evaluate(items, facetIds, selection) {
    var terms = selection.q ? words(selection.q) : [];
    return items.map(function (item) {
      var pass = {};
      var fails = 0;
      facetIds.forEach(function (id) {
        var chosen = selection[id];
        var ok = !chosen || chosen.some(function (v) { return item.values[id].indexOf(v) !== -1; });
        pass[id] = ok;
        if (!ok) fails++;
      });
      var textOk = terms.every(function (t) { return item.text.indexOf(t) !== -1; });
      if (!textOk) fails++;
      return { pass: pass, fails: fails };
    });
  }

  function attachFilter(root) {
    if (root.getAttribute("data-ready")) return;
    root.setAttribute("data-ready", "1");
    var form = root.querySelector(".vk-facets");
    var status = root.querySelector(".vk-status");
    var empty = root.querySelector(".vk-empty");
    var printLink = root.querySelector("#vk-print-shown");
    var printBase = printLink ? printLink.getAttribute("href").split("?")[0] : null;
    var noun = root.getAttribute("data-noun");
    var nouns = root.getAttribute("data-nouns");
    var fieldsets = Array.prototype.slice.call(form.querySelectorAll("fieldset[data-facet]"));
    var facetIds = fieldsets.map(function (fs) { return fs.getAttribute("data-facet"); });
    var boxes = {};
    var counters = {};
    fieldsets.forEach(function (fs) {
      var id = fs.getAttribute("data-facet");
      boxes[id] = Array.prototype.slice.call(fs.querySelectorAll("input[type=checkbox]"));
      counters[id] = boxes[id].map(function (box) {
        return { box: box, li: box.parentNode, span: box.parentNode.querySelector(".vk-count"), n: -1 };
      });
    });
    var text = form.querySelector("input[type=search]");
    var list = root.querySelector(".vk-list");
    var items = indexItems(Array.prototype.slice.call(root.querySelectorAll(".vk-item")), facetIds);
    var total = items.length;

    function selectionFromForm() {
      var selection = {};
      facetIds.forEach(function (id) {
        var chosen = boxes[id].filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
        if (chosen.length) selection[id] = chosen;
      });
      if (text.value.trim()) selection.q = text.value.trim();
      return selection;
    }

    function showSelection(selection) {
      facetIds.forEach(function (id) {
        boxes[id].forEach(function (b) { b.checked = !!selection[id] && selection[id].indexOf(b.value) !== -1; });
      });
      text.value = selection.q || "";
    }

    // At most `limit` matching items are on screen; "Vis flere" shows the next PAGE. This keeps a
    // facet change cheap however many cases there are (the no-JS page still lists everything).
    var PAGE = 100;
    var limit = PAGE;
    var lastSelection = {};
    var more = document.createElement("button");
    more.type = "button";
    more.className = "md-button vk-more";
    more.hidden = true;
    list.parentNode.insertBefore(more, list.nextSibling);
    more.addEventListener("click", function () {
      limit += PAGE;
      apply(lastSelection);
    });

    function apply(selection) {
      lastSelection = selection;
      var results = evaluate(items, facetIds, selection);
      for (var j = 0, matching = 0; j < results.length; j++) {
        if (results[j].fails === 0 && ++matching > limit) results[j].fails = -1;  // matches, not shown
      }
      var shown = 0;
      var counts = {};
      facetIds.forEach(function (id) { counts[id] = {}; });
      for (var i = 0; i < items.length; i++) {
        var r = results[i];
        var visible = r.fails === 0;
        if (r.fails === -1) r.fails = 0;  // beyond the limit: counts as a match, stays hidden
        if (r.fails === 0) shown++;
        if (items[i].shown !== visible) {
          items[i].el.hidden = !visible;
          items[i].shown = visible;
        }
        for (var f = 0; f < facetIds.length; f++) {
          var id = facetIds[f];
          if (r.fails - (r.pass[id] ? 0 : 1) !== 0) continue;
          var vals = items[i].values[id];
          for (var k = 0; k < vals.length; k++) counts[id][vals[k]] = (counts[id][vals[k]] || 0) + 1;
        }
      }
      facetIds.forEach(function (id) {
        counters[id].forEach(function (c) {
          var n = counts[id][c.box.value] || 0;
          if (n === c.n) return;
          c.n = n;
          c.span.textContent = "(" + n + ")";
          c.li.classList.toggle("vk-zero", n === 0);
        });
      });
      var filtered = Object.keys(selection).length > 0;
      var chosen = 0;
      facetIds.forEach(function (id) { chosen += selection[id] ? selection[id].length : 0; });
      summary.textContent = chosen ? "Filtre (" + chosen + " valgt)" : "Filtre";
      status.textContent = filtered
        ? "Viser " + shown + " af " + total + " " + nouns
        : total + " " + (total === 1 ? noun : nouns);
      empty.hidden = shown !== 0;
      var left = shown - Math.min(shown, limit);
      more.hidden = left <= 0;
      more.textContent = "Vis flere (" + left + " mere)";
      if (left > 0) status.textContent += " – de første " + limit + " vises";
      if (printLink) {
        printLink.setAttribute("href", printBase + writeSelection(selection, facetIds));
        printLink.textContent = filtered ? "Udskriv de " + shown + " viste kort" : "Udskriv alle kort";
      }
      return shown;
    }

    function commit(push) {
      limit = PAGE;
      var selection = selectionFromForm();
      var query = writeSelection(selection, facetIds);
      if (query !== location.search) {
        var url = location.pathname + query + location.hash;
        if (push) history.pushState({ vkFilter: true }, "", url);
        else history.replaceState({ vkFilter: true }, "", url);
      }
      apply(selection);
    }

    var details = form.querySelector(".vk-facet-details");
    var summary = details.querySelector("summary");
    // On a phone the facets start folded, so the results are in view; on a desktop they stay open.
    details.open = !window.matchMedia || window.matchMedia("(min-width: 50em)").matches;
    form.hidden = false;
    form.addEventListener("submit", function (ev) { ev.preventDefault(); });
    form.addEventListener("change", function (ev) {
      if (ev.target.type === "checkbox") commit(true);
    });
    var timer = null;
    text.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { commit(false); }, 150);
    });
    form.addEventListener("reset", function (ev) {
      ev.preventDefault();
      showSelection({});
      commit(true);
      text.focus();
    });
    function fromUrl() {
      limit = PAGE;
      var selection = readSelection(location.search, facetIds);
      showSelection(selection);
      apply(selection);
    }
    window.addEventListener("popstate", function () {
      if (document.body.contains(root)) fromUrl();
    });
    fromUrl();
    root.vkApply = function (selection) { return apply(selection); };
  }

  /** The print deck: show exactly the cards the query selects (all cards without a query). */
  function attachDeck(deck) {
    if (deck.getAttribute("data-ready")) return;
    deck.setAttribute("data-ready", "1");
    var cards = Array.prototype.slice.call(deck.querySelectorAll(".vk-deck-card"));
    var facetIds = (deck.getAttribute("data-facets") || "").split(" ").filter(Boolean);
    var items = indexItems(cards, facetIds);
    var selection = readSelection(location.search, facetIds);
    var results = evaluate(items, facetIds, selection);
    var shown = 0;
    items.forEach(function (item, i) {
      var visible = results[i].fails === 0;
      item.el.hidden = !visible;
      if (visible) shown++;
    });
    var status = document.querySelector(".vk-deck-status");
    if (status) {
      status.textContent = Object.keys(selection).length
        ? shown + " kort fra dit filter er klar til udskrift."
        : "Alle " + shown + " kort er klar til udskrift.";
    }
    var back = document.querySelector("#vk-deck-filter");
    if (back) back.setAttribute("href", back.getAttribute("href").split("?")[0] + location.search);
    document.dispatchEvent(new CustomEvent("vk:deck-ready"));
  }

  function attachAll() {
    Array.prototype.forEach.call(document.querySelectorAll(".vk-filter"), attachFilter);
    if (!document.querySelector(".vk-plan")) {
      Array.prototype.forEach.call(document.querySelectorAll(".vk-deck[data-facets]"), attachDeck);
    }
  }

  window.vkFilter = { readSelection: readSelection, writeSelection: writeSelection, evaluate: evaluate };
  if (typeof window.document$ !== "undefined") {
    window.document$.subscribe(attachAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", attachAll);
  } else {
    attachAll();
  }
})();
