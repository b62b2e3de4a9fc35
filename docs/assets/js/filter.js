/* Faceted filtering on /metoder/ and /cases/, and card selection on /udskriv/.
 *
 * /metoder/ holds the complete list inside <noscript> (so it works without JavaScript). /cases/ is
 * light at any size: it holds its first 100 cases and links to the list pages (/cases/side/2/ ...),
 * and names a data file with every case (data-src), fetched the first time the filter or "Vis
 * flere" is used (or reached for). This script puts the first 100 matching items on screen ("Vis flere" adds more),
 * so that a facet change touches a hundred elements however many cases there are. AND between
 * facets, OR within a facet; the state lives in the URL query. The free text goes to the site
 * search (search.js, the same engine as the header search), which gives the matching items best
 * first; without it (no index) it falls back to a plain substring match. It writes text and
 * attributes only; the one HTML it parses is the page's own no-script list. The pages that use it
 * embed it, and Material's instant navigation runs it again on each of them.
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

  /** The items of a light list (data-src) from its data file: per item its slug, title,
   * description, facts line, the rest of its plain-filter text and its facet values
   * (render.case_filter_data); the plain filter searches title, description and that text. An item
   * becomes an element when it is first shown; the page's own items (its first page) are reused. */
  function dataItems(data, facetIds, list, prefix) {
    var own = {};
    Array.prototype.forEach.call(list.querySelectorAll(".vk-item"), function (li) {
      own[li.getAttribute("data-slug")] = li;
    });
    var at = {};
    data.facets.forEach(function (id, k) { at[id] = 5 + k; });
    return data.items.map(function (rec) {
      var values = {};
      facetIds.forEach(function (id) {
        var raw = id in at ? rec[at[id]] : "";
        values[id] = raw ? raw.split(" ") : [];
      });
      var text = (rec[1] + " " + rec[2] + " " + rec[4]).toLocaleLowerCase("da");
      return { el: own[rec[0]] || null, slug: rec[0], values: values, text: text, rec: rec, prefix: prefix };
    });
  }

  /** An item's list element, made from its data the first time (text and attributes only). */
  function element(item) {
    if (item.el) return item.el;
    var rec = item.rec;
    var li = document.createElement("li");
    li.className = "vk-item";
    li.setAttribute("data-slug", rec[0]);
    var h2 = document.createElement("h2");
    var a = document.createElement("a");
    a.setAttribute("href", item.prefix + rec[0] + "/");
    a.textContent = rec[1];
    h2.appendChild(a);
    var description = document.createElement("p");
    description.textContent = rec[2];
    var facts = document.createElement("p");
    facts.className = "vk-item-facts";
    facts.textContent = rec[3];
    li.appendChild(h2);
    li.appendChild(description);
    li.appendChild(facts);
    item.el = li;
    return li;
  }

  function attachFilter(root) {
    if (root.getAttribute("data-ready")) return;
    var form = root.querySelector(".vk-facets");
    var status = root.querySelector(".vk-status");
    var empty = root.querySelector(".vk-empty");
    var all = root.querySelector("noscript.vk-all");
    var src = root.getAttribute("data-src");
    var own = root.querySelector("ul.vk-list");
    if (!form || !status || !empty || !(all || (src && own))) return;
    root.setAttribute("data-ready", "1");
    var results = root.querySelector(".vk-results");
    var pager = root.querySelector(".vk-pager");
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
      boxes[id].numbers = {};
      boxes[id].forEach(function (b, n) { boxes[id].numbers[b.value] = n; });
      counters[id] = boxes[id].map(function (box) {
        return { box: box, li: box.parentNode, span: box.parentNode.querySelector(".vk-count"), n: -1 };
      });
    });
    var text = form.querySelector("input[type=search]");
    var list = own;
    if (all) {
      list = document.createElement("ul");
      list.className = "vk-list";
      all.parentNode.replaceChild(list, all);
    }
    var kind = root.getAttribute("data-kind");
    var F = facetIds.length;
    // The items, once known: from the page's <noscript> at once, or from the data file (a light
    // list) when the filter is first used. Each item's facet values as option numbers in one flat
    // array per facet (item i's values of facet f are vals[f][offs[f][i]] up to offs[f][i + 1]): a
    // facet change compares small integers and allocates next to nothing, however many items.
    var model = null;
    var loading = null;

    function build(items) {
      var total = items.length;
      var offs = [];
      var vals = [];
      facetIds.forEach(function (id) {
        var numbers = boxes[id].numbers;
        var flat = [];
        var off = new Int32Array(total + 1);
        items.forEach(function (item, i) {
          off[i] = flat.length;
          item.values[id].forEach(function (v) { if (v in numbers) flat.push(numbers[v]); });
        });
        off[total] = flat.length;
        offs.push(off);
        vals.push(Int32Array.from(flat));
      });
      model = {
        items: items, total: total, offs: offs, vals: vals,
        texts: items.map(function (item) { return item.text; }),
        slugs: items.map(function (item) { return item.slug || item.el.getAttribute("data-slug"); })
      };
    }

    /** The model, loading the data file the first time a light list needs it. */
    function load() {
      if (model) return Promise.resolve(model);
      if (!loading) {
        loading = fetch(src, { credentials: "same-origin" }).then(function (response) {
          if (!response.ok) throw new Error(src + ": " + response.status);
          return response.json();
        }).then(function (data) {
          build(dataItems(data, facetIds, own, root.getAttribute("data-href") || ""));
          return model;
        });
        loading.catch(function () { loading = null; });   // tried again on the next use
      }
      return loading;
    }

    /** `fn` with the model: at once when it is there (a facet change stays synchronous), else once
     * the data file has come (the results are marked busy meanwhile). */
    function withModel(fn) {
      if (model) {
        fn();
        return;
      }
      results.setAttribute("aria-busy", "true");
      load().then(function () {
        results.removeAttribute("aria-busy");
        fn();
      }, function () {
        results.removeAttribute("aria-busy");
        status.textContent = "Listen over alle " + nouns + " kunne ikke hentes. Prøv igen.";
      });
    }

    if (all) build(indexItems(catalogueItems(all), facetIds));
    var onScreen = null;

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
    // facet change cheap however many cases there are (the no-JS pages list everything).
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
      withModel(function () { apply(lastSelection, lastOrder); });
    });

    /** "Vis flere (n mere)" for `left` more matching items. */
    function showMore(left) {
      more.hidden = left <= 0;
      more.textContent = "Vis flere (" + left + " mere)";
    }

    /** Show the items the free text finds (`order`, best first; null: every item in page order), the
     * first `limit` of them that pass every facet, and count for each option the items that would
     * pass if it were chosen too: an item failing exactly one facet counts towards that facet's
     * options only (OR within a facet, AND between facets). */
    function apply(selection, order) {
      lastSelection = selection;
      lastOrder = order;
      root.setAttribute("data-query", selection.q || "");   // the list shown is for this text
      var items = model.items;
      var offs = model.offs;
      var vals = model.vals;
      var total = model.total;
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
          if (next.length < limit) next.push(element(items[i]));
        }
        for (var g = 0; g < F; g++) {
          if (fails === 1 && g !== failed) continue;
          var cg = counts[g];
          var vg = vals[g];
          for (var c = offs[g][i], stop = offs[g][i + 1]; c < stop; c++) cg[vg[c]]++;
        }
      }
      var same = onScreen !== null && next.length === onScreen.length;
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
      showMore(left);
      if (left > 0) status.textContent += " – de første " + limit + " vises";
      if (pager) pager.hidden = true;   // "Vis flere" and the filter take over from the list pages
      if (printLink) {
        printLink.setAttribute("href", printBase + writeSelection(selection, facetIds));
        printLink.textContent = filtered ? "Udskriv de " + shown + " viste kort" : "Udskriv alle kort";
      }
    }

    /** Show a selection: at once without free text, else when the search has answered (an answer
     * to an older selection is dropped). */
    function show(selection) {
      var ticket = ++seq;
      withModel(function () {
        if (ticket !== seq) return;
        if (!selection.q) {
          apply(selection, null);
          return;
        }
        textOrder(selection.q, kind, model.slugs, model.texts).then(function (order) {
          if (ticket === seq) apply(selection, order);
        });
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
    // On a phone the facets start folded, so the results are in view; on a desktop they are open
    // (and shown open by the style sheet before this runs, so nothing moves).
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
    if (!model) {
      // A light list: the data file is fetched as soon as a visitor reaches for the filter or the
      // list's end, so it is usually there by the time they choose.
      var prefetch = function () { load().catch(function () {}); };
      ["pointerdown", "focusin", "pointerover"].forEach(function (type) {
        form.addEventListener(type, prefetch, { once: true });
        more.addEventListener(type, prefetch, { once: true });
      });
    }
    function fromUrl() {
      limit = PAGE;
      var selection = readSelection(location.search, facetIds);
      showSelection(selection);
      if (model || Object.keys(selection).length) {
        show(selection);
        return;
      }
      // A light list without a selection shows the page's own first items: the data waits for use.
      ++seq;
      lastSelection = {};
      lastOrder = null;
      if (pager) pager.hidden = true;
      showMore(Number(root.getAttribute("data-total")) - list.children.length);
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
  // The pages that use this script embed it (render.scripts); Material's instant navigation runs it
  // again on each of them, so it attaches to the document it finds, once the document is parsed.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", attachAll);
  else attachAll();
})();
