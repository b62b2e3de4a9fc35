/* Faceted filtering on /metoder/ and /cases/, and card selection on /udskriv/.
 *
 * The page holds the complete list inside <noscript> (so it works without JavaScript); this script
 * reveals the facet form and puts the first 100 matching items on screen ("Vis flere" adds more),
 * so that a facet change touches a hundred elements however many cases there are. AND between
 * facets, OR within a facet; the state lives in the URL query. The free text goes to the site
 * search (search.js, the same engine as the header search), which gives the matching items best
 * first; without it (no index) it falls back to a plain substring match. It writes text and
 * attributes only; the one HTML it parses is the page's own no-script list. Material's instant
 * navigation swaps pages without reloading, so it attaches through `document$`.
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
      return { el: el, values: values, text: el.getAttribute("data-q") || "" };
    });
  }

  function words(q) {
    return q.toLocaleLowerCase("da").split(/\s+/).filter(Boolean);
  }

  /** The positions (in `slugs`) of the items the free text finds, best first: the site search's
   * answer for this kind of page, or, where it cannot be had, every item whose text has every word. */
  function textOrder(q, kind, slugs, texts) {
    function substring() {
      var terms = words(q);
      var out = [];
      texts.forEach(function (text, i) {
        if (terms.every(function (t) { return text.indexOf(t) !== -1; })) out.push(i);
      });
      return out;
    }
    if (!window.vkSearch || !kind) return Promise.resolve(substring());
    var at = {};
    slugs.forEach(function (slug, i) { at[slug] = i; });
    return window.vkSearch.slugs(q, kind).then(function (found) {
      return found.filter(function (slug) { return slug in at; }).map(function (slug) { return at[slug]; });
    }, substring);
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

  /** The catalogue's items. The page lists every item inside <noscript> (the list without
   * JavaScript); that text is parsed once here, in an inert <template>, and only the items on
   * screen ever enter the live document. After Material's instant navigation the <noscript> arrives
   * already parsed into elements, and those are taken as they are. */
  function catalogueItems(noscript) {
    var holder = noscript;
    if (!noscript.firstElementChild) {
      var template = document.createElement("template");
      template.innerHTML = noscript.textContent;   // the page's own markup, not user input
      holder = template.content;
    }
    return Array.prototype.slice.call(holder.querySelectorAll(".vk-item"));
  }

  function attachFilter(root) {
    if (root.getAttribute("data-ready")) return;
    var form = root.querySelector(".vk-facets");
    var status = root.querySelector(".vk-status");
    var empty = root.querySelector(".vk-empty");
    var all = root.querySelector("noscript.vk-all");
    if (!form || !status || !empty || !all) return;
    root.setAttribute("data-ready", "1");
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
    var items = indexItems(catalogueItems(all), facetIds);
    var total = items.length;
    var list = document.createElement("ul");
    list.className = "vk-list";
    all.parentNode.replaceChild(list, all);
    // Each item's facet values as option numbers in one flat array per facet (item i's values of
    // facet f are vals[f][offs[f][i]] up to offs[f][i + 1]): a facet change compares small integers
    // and allocates next to nothing, however many items there are.
    var F = facetIds.length;
    var offs = [];
    var vals = [];
    var texts = items.map(function (item) { return item.text; });
    var slugs = items.map(function (item) { return item.el.getAttribute("data-slug"); });
    var kind = root.getAttribute("data-kind");
    facetIds.forEach(function (id, f) {
      var numbers = {};
      boxes[id].forEach(function (b, n) { numbers[b.value] = n; });
      var flat = [];
      var off = new Int32Array(total + 1);
      items.forEach(function (item, i) {
        off[i] = flat.length;
        item.values[id].forEach(function (v) { if (v in numbers) flat.push(numbers[v]); });
      });
      off[total] = flat.length;
      offs.push(off);
      vals.push(Int32Array.from(flat));
      boxes[id].numbers = numbers;
    });
    var onScreen = [];

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
    var lastOrder = null;
    var seq = 0;
    var more = document.createElement("button");
    more.type = "button";
    more.className = "md-button vk-more";
    more.hidden = true;
    list.parentNode.insertBefore(more, list.nextSibling);
    more.addEventListener("click", function () {
      limit += PAGE;
      apply(lastSelection, lastOrder);
    });

    /** Show the items the free text finds (`order`, best first; null: every item in page order), the
     * first `limit` of them that pass every facet, and count for each option the items that would
     * pass if it were chosen too: an item failing exactly one facet counts towards that facet's
     * options only (OR within a facet, AND between facets). */
    function apply(selection, order) {
      lastSelection = selection;
      lastOrder = order;
      root.setAttribute("data-query", selection.q || "");   // the list shown is for this text
      var wanted = facetIds.map(function (id) {
        if (!selection[id]) return null;
        var w = new Uint8Array(boxes[id].length);
        selection[id].forEach(function (v) { if (v in boxes[id].numbers) w[boxes[id].numbers[v]] = 1; });
        return w;
      });
      var counts = facetIds.map(function (id) { return new Int32Array(boxes[id].length); });
      var next = [];
      var shown = 0;
      var n = order ? order.length : total;
      for (var j = 0; j < n; j++) {
        var i = order ? order[j] : j;
        var fails = 0;
        var failed = -1;
        for (var f = 0; f < F && fails < 2; f++) {
          var w = wanted[f];
          if (w === null) continue;
          var ok = false;
          for (var k = offs[f][i], end = offs[f][i + 1]; k < end; k++) {
            if (w[vals[f][k]] === 1) { ok = true; break; }
          }
          if (!ok) { fails++; failed = f; }
        }
        if (fails > 1) continue;
        if (fails === 0) {
          shown++;
          if (next.length < limit) next.push(items[i].el);
        }
        for (var g = 0; g < F; g++) {
          if (fails === 1 && g !== failed) continue;
          var cg = counts[g];
          var vg = vals[g];
          for (var c = offs[g][i], stop = offs[g][i + 1]; c < stop; c++) cg[vg[c]]++;
        }
      }
      var same = next.length === onScreen.length;
      for (var s = 0; same && s < next.length; s++) same = next[s] === onScreen[s];
      if (!same) {
        list.replaceChildren.apply(list, next);
        onScreen = next;
      }
      facetIds.forEach(function (id, f) {
        counters[id].forEach(function (c, n) {
          var count = counts[f][n];
          if (count === c.n) return;
          c.n = count;
          c.span.textContent = "(" + count + ")";
          c.li.classList.toggle("vk-zero", count === 0);
        });
      });
      var filtered = Object.keys(selection).length > 0;
      var picked = 0;
      facetIds.forEach(function (id) { picked += selection[id] ? selection[id].length : 0; });
      summary.textContent = picked ? "Filtre (" + picked + " valgt)" : "Filtre";
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
    }

    /** Show a selection: at once without free text, else when the search has answered (an answer
     * to an older selection is dropped). */
    function show(selection) {
      var ticket = ++seq;
      if (!selection.q) {
        apply(selection, null);
        return;
      }
      textOrder(selection.q, kind, slugs, texts).then(function (order) {
        if (ticket === seq) apply(selection, order);
      });
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
      show(selection);
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
      show(selection);
    }
    window.addEventListener("popstate", function () {
      if (document.body.contains(root)) fromUrl();
    });
    fromUrl();
  }

  /** The print deck: show exactly the cards the query selects (all cards without a query). */
  function attachDeck(deck) {
    if (deck.getAttribute("data-ready")) return;
    deck.setAttribute("data-ready", "1");
    var cards = Array.prototype.slice.call(deck.querySelectorAll(".vk-deck-card"));
    var facetIds = (deck.getAttribute("data-facets") || "").split(" ").filter(Boolean);
    var items = indexItems(cards, facetIds);
    var selection = readSelection(location.search, facetIds);
    var facetsOnly = {};
    facetIds.forEach(function (id) { if (selection[id]) facetsOnly[id] = selection[id]; });
    var results = evaluate(items, facetIds, facetsOnly);
    var slugs = items.map(function (item) { return item.el.getAttribute("data-slug"); });
    var texts = items.map(function (item) { return item.text; });
    var all = items.map(function (item, i) { return i; });
    // The free text selects the cards the overview's search box showed (the same engine).
    (selection.q ? textOrder(selection.q, "metoder", slugs, texts) : Promise.resolve(all)).then(function (found) {
      var wanted = {};
      found.forEach(function (i) { wanted[i] = true; });
      var shown = 0;
      items.forEach(function (item, i) {
        var visible = results[i].fails === 0 && wanted[i] === true;
        item.el.hidden = !visible;
        if (visible) shown++;
      });
      deck.setAttribute("data-chosen", String(shown));   // the cards to print are chosen (tests, make pdf)
      deckReady(selection, shown);
    });
  }

  /** The deck's status line, its link back to the filter, and the event print.js waits for. */
  function deckReady(selection, shown) {
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
