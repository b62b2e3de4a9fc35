/* The method chooser "Find en metode til jeres situation" (front page and /metoder/).
 *
 * The form is a plain GET form to the filter on /metoder/, with the filter's own parameter names
 * (fase, tid, deltagere, maalgruppe), so it works without JavaScript. This script reads the data file
 * named by the section's data-config (toolbox/chooser.py writes it), ranks the cards with `rank`, a
 * line-by-line port of toolbox.chooser.rank (tests/test_chooser.py runs both on every situation),
 * and shows the short list by cloning the page's own inert result shells (text and attributes only),
 * with links that print exactly its cards and open a workshop plan filled in with them.
 * The answers live in the URL; on /metoder/ the chooser sets the filter's boxes (the filter below
 * follows), and the chooser follows the filter. The pages that use it embed it, and Material's
 * instant navigation runs it again on each of them.
 */
(function () {
  "use strict";

  var KEYS = ["fase", "tid", "deltagere", "maalgruppe"];
  var TOLERANCE = [5, 4];
  var PHASE = 8, AUDIENCE = 4, TIME_FIT = 2, SLOT = 1, PEOPLE_FIT = 2;

  function lowerFirst(text) {
    return text.slice(0, 1).toLowerCase() + text.slice(1);
  }

  /** The situation in a query string: per question the first value that is one of its options. */
  function situationFrom(search, data) {
    var params = new URLSearchParams(search);
    var out = {};
    KEYS.forEach(function (key) {
      var ids = data[key].map(function (o) { return o.id; });
      var values = [];
      params.getAll(key).forEach(function (v) {
        v.split(",").forEach(function (part) { if (ids.indexOf(part) !== -1) values.push(part); });
      });
      out[key] = values.length ? values[0] : "";
    });
    return out;
  }

  function option(data, key, value) {
    for (var i = 0; i < data[key].length; i++) if (data[key][i].id === value) return data[key][i];
    return null;
  }

  function words(data, key, ids) {
    var found = [];
    ids.forEach(function (id) {
      data[key].forEach(function (o) { if (o.id === id) found.push(o.word); });
    });
    return found.length === 1 ? found[0] : found.slice(0, -1).join(", ") + " og " + found[found.length - 1];
  }

  /** One card in one situation: null when a hard filter fails, else its score and two lines. */
  function assess(card, situation, data) {
    var num = TOLERANCE[0], den = TOLERANCE[1];
    var score = 0, fits = [], watch = [];
    var phase = situation.fase, audience = situation.maalgruppe;
    var time = option(data, "tid", situation.tid), people = option(data, "deltagere", situation.deltagere);
    var lo, hi;
    if (time) {
      lo = card.duration[0]; hi = card.duration[1];
      if (lo * den > time.max * num) return null;
      if (lo > time.max) {
        watch.push("tager mindst " + lo + " minutter; I har " + lowerFirst(time.label));
      } else {
        score += TIME_FIT + (hi >= time.min ? SLOT : 0);
      }
    }
    if (people) {
      lo = card.participants[0]; hi = card.participants[1];
      if (hi * num < people.min * den || lo * den > people.max * num) return null;
      if (hi < people.min) {
        watch.push("passer til højst " + hi + " deltagere; I er " + lowerFirst(people.label));
      } else if (lo > people.max) {
        watch.push("kræver mindst " + lo + " deltagere; I er " + lowerFirst(people.label));
      } else {
        score += PEOPLE_FIT;
      }
    }
    var purpose = "";
    if (phase) {
      if (card.phases.indexOf(phase) !== -1) {
        score += PHASE;
        purpose = "til " + words(data, "fase", [phase]);
      } else {
        watch.splice(0, 0, "er ikke beskrevet til " + words(data, "fase", [phase]));
      }
    }
    if (audience) {
      if (card.audiences.indexOf(audience) !== -1) {
        score += AUDIENCE;
        purpose += (purpose ? " med " : "til ") + words(data, "maalgruppe", [audience]);
      } else {
        watch.splice(phase && card.phases.indexOf(phase) === -1 ? 1 : 0, 0,
          "er beskrevet til " + words(data, "maalgruppe", card.audiences) +
          ", ikke " + words(data, "maalgruppe", [audience]));
      }
    }
    if (time && card.duration[0] <= time.max) fits.push(card.duration_text);
    if (people && card.participants[1] >= people.min && card.participants[0] <= people.max) fits.push(card.people_text);
    var why;
    if (purpose) {
      why = ["Passer " + purpose].concat(fits).join(", ");
    } else if (fits.length) {
      why = (time && people && fits.length === 2 ? "Passer i tid og antal: "
        : time && card.duration[0] <= time.max ? "Passer i tid: " : "Passer i antal: ") + fits.join(", ");
    } else {
      why = "Det nærmeste bud blandt kortene";
    }
    var caution;
    if (watch.length) {
      var joined = watch.join("; ");
      caution = watch[0].slice(0, 1).toUpperCase() + joined.slice(1);
    } else {
      caution = "Brug den ikke, når " + card.not_when;
    }
    if (caution.slice(-1) !== ".") caution += ".";
    return { slug: card.slug, score: score, why: why + ".", watch: caution };
  }

  /** Every card that passes the hard filters, best first; empty when nothing is answered. */
  function rank(data, situation) {
    if (!KEYS.some(function (k) { return situation[k]; })) return [];
    var cards = {};
    data.methods.forEach(function (c) { cards[c.slug] = c; });
    var found = [];
    data.methods.forEach(function (c) {
      var a = assess(c, situation, data);
      if (a) found.push(a);
    });
    found.sort(function (a, b) {
      var ca = cards[a.slug], cb = cards[b.slug];
      if (a.score !== b.score) return b.score - a.score;
      if (ca.difficulty !== cb.difficulty) return ca.difficulty - cb.difficulty;
      if (ca.preparation !== cb.preparation) return ca.preparation - cb.preparation;
      return a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0;
    });
    return found;
  }

  function attach(root, data) {
    var form = root.querySelector(".vk-chooser-form");
    var status = root.querySelector(".vk-chooser-status");
    var results = root.querySelector(".vk-chooser-results");
    var heading = results.querySelector("h3");
    var list = results.querySelector(".vk-chooser-list");
    var toFilter = results.querySelector(".vk-chooser-filter");
    var filterBase = toFilter ? toFilter.getAttribute("href").split("?")[0] : null;
    var actions = results.querySelector(".vk-chooser-actions");
    var toDeck = results.querySelector(".vk-chooser-print");
    var toPlan = results.querySelector(".vk-chooser-plan");
    var deckBase = toDeck ? toDeck.getAttribute("href").split("?")[0] : null;
    var planBase = toPlan ? toPlan.getAttribute("href").split("?")[0] : null;
    var cards = {};
    data.methods.forEach(function (c) { cards[c.slug] = c; });
    var shells = {};
    Array.prototype.forEach.call(root.querySelector("template.vk-chooser-cards").content.children, function (li) {
      shells[li.getAttribute("data-slug")] = li;
    });

    function fromForm() {
      var situation = {};
      KEYS.forEach(function (key) {
        var field = form.elements[key];
        situation[key] = field ? field.value : "";
      });
      return situation;
    }

    function showInForm(situation) {
      KEYS.forEach(function (key) {
        var field = form.elements[key];
        if (field) field.value = situation[key];
      });
    }

    /** The short list for a situation, and its count in the live region. */
    function show(situation) {
      var answered = KEYS.some(function (k) { return situation[k]; });
      // Nothing answered, nothing shown: the page's first paint needs no ranking.
      var ranked = answered ? rank(data, situation) : [];
      var top = ranked.slice(0, data.limit).filter(function (r) { return shells[r.slug]; });
      list.replaceChildren.apply(list, top.map(function (r) {
        var li = shells[r.slug].cloneNode(true);
        li.querySelector(".vk-choice-why .vk-choice-text").textContent = r.why;
        li.querySelector(".vk-choice-watch .vk-choice-text").textContent = r.watch;
        return li;
      }));
      heading.hidden = list.hidden = !answered;
      if (toFilter) toFilter.parentNode.hidden = !answered;
      if (!answered) {
        status.textContent = "";
      } else if (!ranked.length) {
        status.textContent = "Ingen metoder passer. Prøv at ændre et af svarene.";
      } else {
        status.textContent = (ranked.length === 1 ? "1 metode passer." : ranked.length + " metoder passer.") +
          (ranked.length > top.length ? " Her er de " + top.length + " bedste." : "");
      }
      if (toFilter) toFilter.setAttribute("href", filterBase + query(situation, ""));
      shortList(top.map(function (r) { return r.slug; }));
    }

    /** The short list's two links: the print deck with exactly its cards (?kort=a,b, the filter's
     * card facet) and the workshop plan already filled in with them, in the list's order, each
     * with its card's shortest time (?plan=a:30,b:45, the plan's own format). */
    function shortList(slugs) {
      if (!actions) return;
      actions.hidden = !slugs.length;
      if (!slugs.length) return;
      if (toDeck) toDeck.setAttribute("href", deckBase + "?kort=" + slugs.join(","));
      if (toPlan) {
        toPlan.setAttribute("href", planBase + "?plan=" + slugs.map(function (slug) {
          return slug + ":" + cards[slug].duration[0];
        }).join(","));
      }
    }

    /** The query string with the chooser's answers set and every other parameter kept. A question
     * whose answer has not changed keeps its parameter as it is (the filter may hold several
     * values where the chooser shows one). */
    function query(situation, search) {
      var params = new URLSearchParams(search);
      var before = situationFrom(search, data);
      KEYS.forEach(function (key) {
        if (before[key] === situation[key] && search) return;
        params.delete(key);
        if (situation[key]) params.set(key, situation[key]);
      });
      var s = params.toString();
      return s ? "?" + s : "";
    }

    var writing = false;
    /** The answers into the URL. On /metoder/ the filter owns the URL: its boxes for the changed
     * questions are set and it is told by a change event, as if ticked (it then writes the URL and
     * filters the list). A synthetic popstate would not do: Material's instant navigation may take
     * it for a navigation and load the page again. */
    function commit() {
      var situation = fromForm();
      var before = situationFrom(location.search, data);
      var filterForm = document.querySelector(".vk-filter[data-ready] form.vk-facets");
      if (filterForm) {
        var last = null;
        KEYS.forEach(function (key) {
          if (before[key] === situation[key]) return;
          Array.prototype.forEach.call(filterForm.querySelectorAll("input[type=checkbox][name='" + key + "']"), function (box) {
            box.checked = box.value === situation[key];
            last = box;
          });
        });
        if (last) {
          writing = true;
          last.dispatchEvent(new Event("change", { bubbles: true }));
          writing = false;
        }
      } else {
        var q = query(situation, location.search);
        if (q !== location.search) history.replaceState(history.state, "", location.pathname + q + location.hash);
      }
      show(situation);
    }

    function fromUrl() {
      var situation = situationFrom(location.search, data);
      showInForm(situation);
      show(situation);
    }

    form.addEventListener("change", commit);
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      commit();
      heading.focus();
    });
    window.addEventListener("popstate", function () {
      if (document.body.contains(root)) fromUrl();
    });
    // The filter on the same page changes the URL when a facet changes: follow it.
    document.addEventListener("change", function (ev) {
      if (!writing && document.body.contains(root) && ev.target.closest && ev.target.closest(".vk-facets")) fromUrl();
    });
    document.addEventListener("reset", function (ev) {
      if (document.body.contains(root) && ev.target.closest && ev.target.closest(".vk-facets")) {
        setTimeout(fromUrl, 0);
      }
    });
    fromUrl();
  }

  /** The data file is named by data-config: no inline script, so nothing for the
   * Content-Security-Policy to refuse, after instant navigation too. */
  function attachAll() {
    var root = document.querySelector(".vk-chooser");
    if (!root || root.getAttribute("data-ready")) return;
    var href = root.getAttribute("data-config");
    if (!href) return;
    root.setAttribute("data-ready", "loading");
    fetch(href, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || !data.methods || !document.body.contains(root)) {
          root.removeAttribute("data-ready");
          return;
        }
        root.setAttribute("data-ready", "1");
        attach(root, data);
      })
      .catch(function () { root.removeAttribute("data-ready"); });
  }

  window.vkChooser = { rank: rank, situationFrom: situationFrom };
  // The pages that use this script embed it (render.scripts); Material's instant navigation runs it
  // again on each of them, so it attaches to the document it finds, once the document is parsed.
  if (typeof document !== "undefined" && document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", attachAll);
  } else if (typeof document !== "undefined") {
    attachAll();
  }
})();
