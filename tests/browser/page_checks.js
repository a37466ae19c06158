// Facts about the page shown, for tests/browser/phone.py: its width, its web fonts, which of them its text uses.
async (width) => {
  await document.fonts.ready;
  const parseRange = (text) => (text || "U+0-10FFFF").split(",").map((part) => {
    const [start, end] = part.trim().replace(/^U\+/i, "").split("-");
    return [parseInt(start, 16), parseInt(end || start, 16)];
  });
  const faces = [...document.fonts].map((face) => ({
    family: face.family.replace(/^["']|["']$/g, ""),
    weight: String(face.weight),
    status: face.status,
    ranges: parseRange(face.unicodeRange),
  }));
  const families = new Set(faces.map((face) => face.family));
  const covers = (family, codePoint) =>
    faces.some((f) => f.family === family && f.ranges.some(([a, b]) => codePoint >= a && codePoint <= b));

  // Which of our faces the text of the page needs: for each character, the first family of
  // the element's font stack whose unicode-range covers it, in the weight the element asks
  // for (600 and more take the 700 face, as CSS font matching does). Language names (in the
  // language list, each with its own lang, and in the language menus) are drawn in the
  // phone's own fonts on purpose (app.css), so they must not pull in a web font.
  const used = new Set();
  const inLanguageMenus = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    // An option is drawn by its select, in the select's font.
    const element = node.parentElement && (node.parentElement.closest("select") || node.parentElement);
    if (!element || !node.data.trim() || element.closest("script, style, noscript")) continue;
    if (!element.getClientRects().length) continue;
    const style = getComputedStyle(element);
    const stack = style.fontFamily.split(",").map((name) => name.trim().replace(/^["']|["']$/g, ""));
    const weight = parseInt(style.fontWeight, 10) >= 600 ? "700" : "400";
    for (const character of node.data) {
      const codePoint = character.codePointAt(0);
      if (codePoint < 0x80) continue;
      const family = stack.find((name) => families.has(name) && covers(name, codePoint));
      if (!family) continue;
      if (element.closest(".languages [lang], .language-picker, select")) inLanguageMenus.add(`${family} ${weight}: ${node.data.trim()}`);
      else used.add(`${family} ${weight}`);
    }
  }

  // What sticks out on the right at this width, and what sticks out on the left, where it cannot
  // be scrolled to at all (a right-to-left block, such as an Urdu page, overflows to the left).
  const tooWide = [];
  const offLeft = [];
  const nameOf = (element) => element.tagName.toLowerCase() + (element.id ? `#${element.id}` : "") +
    (element.className && typeof element.className === "string" ? `.${element.className.trim().split(/\s+/).join(".")}` : "");
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (!box.width) continue;
    if (box.right > width + 0.5 && document.documentElement.scrollWidth > width && tooWide.length < 5) {
      tooWide.push(`${nameOf(element)} (right edge ${Math.round(box.right)} px)`);
    }
    if (box.left < -0.5 && !element.closest(".skip, .visually-hidden") && offLeft.length < 5) {
      offLeft.push(`${nameOf(element)} (left edge ${Math.round(box.left)} px)`);
    }
  }
  // Words broken inside themselves: a word drawn on two lines although a line of its container
  // is wide enough for it (issue 12: "Ye/s", "Prefe/r"). Words are found as each language's
  // rules find them (Intl.Segmenter: dictionaries for Thai, Khmer, Lao and Burmese).
  const brokenWords = [];
  const segmenters = new Map();
  const words = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = words.nextNode(); node && brokenWords.length < 10; node = words.nextNode()) {
    const element = node.parentElement;
    if (!element || !node.data.trim() || element.closest("script, style, noscript, select, .visually-hidden, .skip")) continue;
    if (!element.getClientRects().length) continue;
    let block = element;
    while (block.parentElement && getComputedStyle(block).display.startsWith("inline")) block = block.parentElement;
    const blockStyle = getComputedStyle(block);
    const room = block.clientWidth - parseFloat(blockStyle.paddingLeft) - parseFloat(blockStyle.paddingRight);
    const lang = (element.closest("[lang]") || document.documentElement).lang || "en";
    if (!segmenters.has(lang)) segmenters.set(lang, new Intl.Segmenter(lang, { granularity: "word" }));
    for (const { segment, index, isWordLike } of segmenters.get(lang).segment(node.data)) {
      // Chinese (and Japanese) lines may break between any two characters: that is how they are set.
      if (!isWordLike || segment.length < 2 || /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(segment)) continue;
      const range = document.createRange();
      range.setStart(node, index);
      range.setEnd(node, index + segment.length);
      const rects = [...range.getClientRects()].filter((rect) => rect.width > 0);
      if (rects.length < 2) continue;
      const tops = rects.map((rect) => rect.top);
      const lineHeight = Math.min(...rects.map((rect) => rect.height));
      if (Math.max(...tops) - Math.min(...tops) < lineHeight / 2) continue;
      const wordWidth = rects.reduce((sum, rect) => sum + rect.width, 0);
      if (wordWidth <= room + 1) {
        brokenWords.push(`"${segment}" in ${element.tagName.toLowerCase()}${element.className ? "." + String(element.className).split(" ")[0] : ""}`);
      }
    }
  }
  const person = document.querySelector(".person-lang");
  return {
    lang: document.documentElement.lang,
    person: person ? person.lang : null,
    scrollWidth: document.documentElement.scrollWidth,
    tooWide,
    offLeft,
    brokenWords,
    faces: faces.map(({ family, weight, status }) => ({ family, weight, status })),
    used: [...used].sort(),
    inLanguageMenus: [...inLanguageMenus].sort(),
  };
}
